"""The catalogues load: pages are Chinese by default and English on request."""


def test_pages_speak_chinese_by_default_and_english_on_request(client):
    chinese = client.get("/login").get_data(as_text=True)
    assert "登录" in chinese
    client.set_cookie("lang", "en")
    english = client.get("/login").get_data(as_text=True)
    assert "Sign in" in english and "登录" not in english.replace('lang="zh-CN"', "")


def test_api_errors_are_translated_too(client):
    zh = client.get("/api/v1/nothing", headers={"Accept-Language": "zh-CN"}).get_json()
    en = client.get("/api/v1/nothing", headers={"Accept-Language": "en"}).get_json()
    assert zh["error"]["message"] != en["error"]["message"]
    assert en["error"]["message"] == "Page not found"
