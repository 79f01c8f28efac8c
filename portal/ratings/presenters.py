"""Words for the stored figures: each component part and each grade reason as a sentence,
translated when shown (the stored result keeps codes and numbers only)."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.ratings import constants as k


def points(value_tenths: int | None) -> str:
    if value_tenths is None:
        return "—"
    return f"{value_tenths / 10:.1f}"


def percent(value_tenths: int | None) -> str:
    return "—" if value_tenths is None else f"{value_tenths / 10:.1f}%"


def part_text(part: dict) -> str:  # noqa: C901 (one sentence per part code)
    code, v = part["code"], part.get("values", {})
    if code == "qualification_certificate":
        return (
            _("The qualification certificate was valid on the reference day.")
            if v.get("valid")
            else _("No qualification certificate was valid on the reference day.")
        )
    if code == "certification":
        return (
            _("An ISO 9001 or industry certification was valid.")
            if v.get("valid")
            else _("No valid ISO 9001 or industry certification.")
        )
    if code == "calibration":
        if not v.get("total"):
            return _("No instrument calibration is recorded.")
        return _(
            "%(valid)d of %(total)d instrument calibrations valid.",
            valid=v["valid"],
            total=v["total"],
        )
    if code == "premises":
        return _(
            "Premises: %(m2)s m² (at least %(min)d m² for the points).",
            m2="{:g}".format(v["m2"]) if v.get("m2") is not None else "—",
            min=k.PREMISES_MIN_M2,
        )
    if code == "rooms":
        if not v.get("required"):
            return _("Examination rooms are required of examination institutions only.")
        return _(
            "%(rooms)s examination rooms (at least %(min)d for the points).",
            rooms=v.get("rooms") if v.get("rooms") is not None else "—",
            min=k.ROOMS_MIN,
        )
    if code == "findings":
        if not v.get("inspected"):
            return _("Not inspected in this year or the two before: full points.")
        return _(
            "Inspection of %(year)d: %(minor)d minor and %(major)d major findings.",
            year=v["year"],
            minor=v["minor"],
            major=v["major"],
        )
    if code == "accuracy":
        if v.get("source") == "inspection":
            return _(
                "Report accuracy measured by the inspection: %(pct)s (target %(target)d%%).",
                pct=percent(v["accuracy_tenths"]),
                target=k.ACCURACY_TARGET,
            )
        if v.get("source") == "figures":
            return _(
                "Report accuracy from the filed figures (reports not corrected after issue): "
                "%(pct)s (target %(target)d%%).",
                pct=percent(v["accuracy_tenths"]),
                target=k.ACCURACY_TARGET,
            )
        return _("No figures filed: report accuracy unknown.")
    if code == "complaint_rate":
        if not (v.get("substantiated") or v.get("partly")):
            return _("No substantiated complaint decided in the year.")
        return _(
            "%(full)d substantiated and %(partly)d partly substantiated complaints on "
            "%(services)d services: %(rate)s per 1,000 services.",
            full=v["substantiated"],
            partly=v["partly"],
            services=v["services"],
            rate=points(v.get("per_mille_tenths")),
        )
    if code == "sanctions":
        if not (v.get("minor") or v.get("general") or v.get("serious")):
            return _("No sanction took effect in the three years.")
        text = _(
            "Sanctions that took effect in the three years: %(minor)d minor, %(general)d "
            "general, %(serious)d serious.",
            minor=v["minor"],
            general=v["general"],
            serious=v["serious"],
        )
        if v.get("decisions"):
            text += " " + ", ".join(v["decisions"])
        return text
    if code == "training":
        if not v.get("staff"):
            return _("No assigned professional is on record.")
        return _(
            "%(ok)d of %(n)d assigned professionals met the training requirements.",
            ok=v["compliant"],
            n=v["staff"],
        )
    return code


REASONS = {
    "too_few_services": lambda: _(
        "Fewer than %(n)d services (reports issued) in the year, or no figures filed: not rated.",
        n=k.MIN_SERVICES,
    ),
    "blacklisted": lambda: _("On the blacklist: grade D and no stars."),
    "serious_sanction": lambda: _("A serious sanction: grade D."),
    "general_in_force": lambda: _("A general sanction in force: grade C at best."),
    "sanction_this_year": lambda: _("A sanction took effect in the year: grade B at best."),
    "score_90_three_years": lambda: _(
        "A score of 90 or more in this and the two previous years with no sanction: AAA."
    ),
    "score_90_not_three_years": lambda: _(
        "A score of 90 or more, but not yet three consecutive qualifying years: AA."
    ),
    "score_80": lambda: _("A score of 80 or more: AA."),
    "score_70": lambda: _("A score of 70 or more: A."),
    "score_60": lambda: _("A score of 60 or more: B."),
    "score_below_60": lambda: _("A score below 60: C."),
}


def reason_text(code: str) -> str:
    maker = REASONS.get(code)
    return maker() if maker else code


def anomaly_text(flag) -> str:
    from portal.ratings.services.anomalies import describe

    return f"{k.ANOMALY_LABELS[flag.code]}: {describe(flag)}"


def template_helpers() -> dict:
    return {
        "rating_anomaly_text": anomaly_text,
        "rating_points": points,
        "rating_percent": percent,
        "rating_part_text": part_text,
        "rating_reason_text": reason_text,
        "rating_grade_label": k.grade_label,
        "rating_component_label": k.component_label,
    }
