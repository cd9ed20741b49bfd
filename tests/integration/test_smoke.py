def test_front_page_lists_nothing_for_a_reader_when_nothing_is_published(client, people):
    response = client.get("/")
    assert response.status_code == 200
    assert "There is no declaration you can read yet." in response.get_data(as_text=True)
