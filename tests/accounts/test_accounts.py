from sqlalchemy import select

from portal import audit
from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from tests.factories import DEFAULT_PASSWORD, make_user


def _register(client, **overrides):
    data = {
        "role": "worker",
        "username": "zhangwei",
        "display_name": "张伟",
        "email": "",
        "password": "a-long-password",
        "confirm": "a-long-password",
    }
    data.update(overrides)
    return client.post("/register", data=data)


def test_a_worker_registers_and_lands_in_the_worker_workspace(client, db):
    response = _register(client)
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.username == "zhangwei"))
    assert user.role == "worker"
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a-long-password")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "张伟" in page


def test_registration_refuses_staff_roles_chosen_by_the_visitor(client, db):
    response = _register(client, role="admin")
    assert response.status_code == 200  # the form is shown again
    assert db.session.scalar(select(User).where(User.username == "zhangwei")) is None


def test_registration_names_the_field_at_fault_and_keeps_what_was_typed(client, db):
    response = _register(client, password="short", confirm="short")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="zhangwei"' in html  # nothing typed is lost
    assert "10" in html and 'id="password"' in html
    assert db.session.scalar(select(User).where(User.username == "zhangwei")) is None


def test_a_taken_username_is_refused_whatever_its_case(client, db):
    make_user(username="ZhangWei")
    response = _register(client)
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.username == "zhangwei")) is None


def test_login_with_a_wrong_password_does_not_say_whether_the_account_exists(client, users):
    wrong_password = client.post("/login", data={"username": "worker1", "password": "nope-nope"})
    no_such_user = client.post("/login", data={"username": "nobody", "password": "nope-nope"})
    assert wrong_password.status_code == no_such_user.status_code == 200
    message = "The username or password is wrong"
    assert (
        wrong_password.get_data(as_text=True).count("用户名或密码错误")
        + wrong_password.get_data(as_text=True).count(message)
        == no_such_user.get_data(as_text=True).count("用户名或密码错误")
        + no_such_user.get_data(as_text=True).count(message)
        == 1
    )


def test_login_follows_only_local_next_links(client, users):
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"username": "worker1", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard"
    client.post("/logout")
    response = client.post(
        "/login?next=/account/password", data={"username": "worker1", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/account/password"


def test_a_disabled_account_cannot_sign_in(client, db):
    make_user(username="gone", active=False)
    response = client.post("/login", data={"username": "gone", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_logout_ends_the_session(client, users, login):
    login(users["staff"])
    assert client.get("/dashboard").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/dashboard").status_code == 302


def test_changing_the_password_signs_out_other_sessions(app, client, users, login, db):
    worker = users["worker"]
    login(worker)
    other = app.test_client()
    other.post("/login", data={"username": "worker1", "password": DEFAULT_PASSWORD})
    assert other.get("/dashboard").status_code == 200
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "another-long-secret",
            "confirm": "another-long-secret",
        },
    )
    assert response.status_code == 303
    assert client.get("/dashboard").status_code == 200  # this session goes on
    assert other.get("/dashboard").status_code == 302  # the other one is over


def test_a_wrong_current_password_changes_nothing(client, users, login, db):
    login(users["worker"])
    before = users["worker"].password_hash
    response = client.post(
        "/account/password",
        data={
            "current_password": "not-it-at-all",
            "new_password": "another-long-secret",
            "confirm": "another-long-secret",
        },
    )
    assert response.status_code == 200
    db.session.refresh(users["worker"])
    assert users["worker"].password_hash == before


def test_admin_changes_a_role_and_it_is_audited(client, users, login, db):
    login(users["admin"])
    target = users["worker"]
    response = client.post(
        f"/admin/users/{target.id}",
        data={"display_name": target.display_name, "email": "", "role": "staff", "active": "y"},
    )
    assert response.status_code == 303
    db.session.refresh(target)
    assert target.role == "staff"
    entry = audit.head()
    assert entry.action == "user.updated" and entry.object_id == str(target.id)
    assert '"role":["worker","staff"]' in entry.payload
    assert audit.verify().ok


def test_admin_cannot_remove_their_own_admin_role(client, users, login, db):
    admin = users["admin"]
    login(admin)
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"display_name": admin.display_name, "email": "", "role": "worker", "active": "y"},
    )
    assert response.status_code == 200
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_admin_user_list_searches_and_filters(client, users, login):
    login(users["admin"])
    html = client.get("/admin/users?q=staff&role=staff").get_data(as_text=True)
    assert "staff1" in html and "worker1" not in html


def test_users_create_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--username",
            "li.qiang",
            "--role",
            "committee",
            "--name",
            "李强",
            "--password",
            "committee-secret-1",
        ]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.username == "li.qiang")) == "committee"
    weak = runner.invoke(
        args=[
            "users",
            "create",
            "--username",
            "li.si",
            "--role",
            "staff",
            "--name",
            "李四",
            "--password",
            "short",
        ]
    )
    assert weak.exit_code != 0
    assert "password" in weak.output.lower()
