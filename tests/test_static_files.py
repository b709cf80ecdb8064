"""Static files: fingerprinted names in pages, a year of caching for those names only."""

import os
import re

from workshop.static_files import fingerprinted_name, split_fingerprint

STYLESHEET = re.compile(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"')


def _stylesheet_url(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    found = STYLESHEET.search(page)
    assert found, "the login page links no fingerprinted stylesheet"
    return found.group(1)


def test_pages_link_the_stylesheet_under_a_name_carrying_its_content_hash(app, client):
    url = _stylesheet_url(client)
    response = client.get(url)
    with open(f"{app.static_folder}/css/app.css", "rb") as handle:
        assert response.data == handle.read()
    response.close()


def test_fingerprinted_file_is_cached_for_a_year_and_never_revalidated(client):
    response = client.get(_stylesheet_url(client))
    cache = response.cache_control
    assert response.status_code == 200
    assert cache.public
    assert cache.max_age == 31536000
    assert cache.immutable
    assert not cache.no_store
    assert response.mimetype == "text/css"
    response.close()


def test_pages_themselves_stay_out_of_every_cache(client):
    """Static files set their own caching; the pages around them are never stored."""
    response = client.get("/login")
    assert "no-store" in response.headers["Cache-Control"]
    assert "immutable" not in response.headers["Cache-Control"]


def test_changed_file_gets_a_new_name_and_the_old_name_is_not_cached_for_long(
    app, client, tmp_path
):
    app.static_folder = str(tmp_path)
    probe = tmp_path / "probe.txt"
    probe.write_text("first")
    with app.test_request_context():
        first = fingerprinted_name("probe.txt")
        probe.write_text("second, as a deploy would bring")
        os.utime(probe, ns=(1, 1))  # a different mtime for certain, even within one clock tick
        second = fingerprinted_name("probe.txt")
    assert first != second
    stale = client.get(f"/static/{first}")
    assert stale.data == b"second, as a deploy would bring"
    assert stale.cache_control.no_cache
    assert not stale.cache_control.immutable
    stale.close()
    fresh = client.get(f"/static/{second}")
    assert fresh.cache_control.immutable
    fresh.close()


def test_plain_name_is_served_but_revalidated(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.cache_control.no_cache
    assert not response.cache_control.immutable
    response.close()


def test_fingerprint_does_not_open_a_way_out_of_the_static_folder(client):
    response = client.get("/static/..%2F..%2Fwsgi.0123456789ab.py")
    assert response.status_code == 404


def test_missing_file_is_a_404_under_either_name(client):
    assert client.get("/static/css/nothing.css").status_code == 404
    assert client.get("/static/css/nothing.0123456789ab.css").status_code == 404


def test_split_fingerprint_keeps_folders_and_leaves_plain_names_alone():
    assert split_fingerprint("js/a.b.0123456789ab.js") == ("js/a.b.js", "0123456789ab")
    assert split_fingerprint("js/autosave.js") == ("js/autosave.js", None)
    assert split_fingerprint("favicon.svg") == ("favicon.svg", None)
