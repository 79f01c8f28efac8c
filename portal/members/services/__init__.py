"""Services of the members domain. Each takes the acting user, never reads the request,
never commits, audits every change and raises the domain errors of portal/errors.py.

- `access`: who may see what (object-level predicates; the file download rule).
- `applications`: the applicant's side (start, save steps, attach scans, submit).
- `review`: the secretariat's side (queue, approve, reject, return; membership numbers).
- `credentials`: approved credentials as rows, and the rules' view of them.
- `staff`: staff records, training hours, examinations, compliance.
- `profile`: the public profile text and the forbidden phrases.
- `directory`: the public directory and profiles.
- `expiry`: the expiry watch sweep.
- `notices`: notifications to the agency and the secretariat.
"""
