"""The app starts and a demo-like admin can reach the administration."""


def test_admin_reaches_user_list(client, admin):
    client.login_as(admin)
    response = client.get("/admin/users")
    assert response.status_code == 200
    assert "admin@example.org" in response.text
