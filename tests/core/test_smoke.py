def test_technology_groups_need_a_token(client, admin):
    assert client.get("/api/v1/technology-groups").status_code == 401
    response = client.get("/api/v1/technology-groups?page_size=100", headers=admin)
    assert response.status_code == 200
    assert [g["code"] for g in response.json] == list(range(1, 28))
