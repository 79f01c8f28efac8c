from portal.api.registry import OPERATIONS
from tests.factories import DEFAULT_PASSWORD


def test_openapi_lists_every_api_route_with_its_methods(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", f"{{{name}}}").replace(f"<{name}>", f"{{{name}}}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)


def test_openapi_schemas_resolve(client):
    document = client.get("/api/v1/openapi.json").get_json()
    text = str(document)
    for name in document["components"]["schemas"]:
        assert name
    import re

    for ref in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert ref in document["components"]["schemas"], ref


def test_protected_operations_document_their_roles_and_errors(client):
    document = client.get("/api/v1/openapi.json").get_json()
    users_get = document["paths"]["/api/v1/users"]["get"]
    assert users_get["x-roles"] == ["admin"]
    assert {"401", "403"} <= users_get["responses"].keys()
    assert document["paths"]["/api/v1/auth/token"]["post"]["security"] == []


def test_every_registered_operation_has_a_summary():
    assert OPERATIONS and all(op.summary for op in OPERATIONS)


def test_unknown_api_paths_and_methods_answer_in_the_error_format(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/v1/auth/token")
    assert wrong.status_code == 405 and wrong.get_json()["error"]["code"] == "method_not_allowed"


def test_admin_manages_users_through_the_api(client, users, api_token):
    headers = api_token(users["admin"])
    created = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "username": "wang.min",
            "password": "staff-secret-99",
            "display_name": "王敏",
            "role": "staff",
        },
    )
    assert created.status_code == 201, created.get_json()
    user_id = created.get_json()["id"]
    patched = client.patch(f"/api/v1/users/{user_id}", headers=headers, json={"active": False})
    assert patched.get_json()["active"] is False
    listed = client.get("/api/v1/users?q=wang&per_page=5", headers=headers).get_json()
    assert [u["username"] for u in listed["items"]] == ["wang.min"]
    assert listed["page"]["total"] == 1


def test_api_validation_names_each_bad_field(client, users, api_token):
    headers = api_token(users["admin"])
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={"username": "x", "password": "p", "display_name": "", "role": "emperor", "extra": 1},
    )
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 422
    assert {"username", "display_name", "role", "extra"} <= fields.keys()
    bad_page = client.get("/api/v1/users?page=zero", headers=headers)
    assert bad_page.status_code == 422 and "page" in bad_page.get_json()["error"]["fields"]


def test_api_registration_and_duplicate(client, db):
    body = {
        "username": "li.na",
        "password": "worker-secret-1",
        "display_name": "李娜",
        "role": "worker",
    }
    assert client.post("/api/v1/auth/register", json=body).status_code == 201
    again = client.post("/api/v1/auth/register", json=body)
    assert again.status_code == 409 and "username" in again.get_json()["error"]["fields"]
    staff = client.post("/api/v1/auth/register", json={**body, "username": "x.y", "role": "admin"})
    assert staff.status_code == 422


def test_password_login_and_token_share_one_rule(client, users):
    ok = client.post(
        "/api/v1/auth/token", json={"username": "WORKER1", "password": DEFAULT_PASSWORD}
    )
    assert ok.status_code == 200  # usernames are case-insensitive on both paths
