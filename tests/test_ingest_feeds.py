from datetime import date

from newscollate.ingest import ReadOptions, ingest

from .fixtures.ingest.builders import PARAGRAPHS, rss

ITEMS = [
    {
        "title": "Harbour board backs new sea wall",
        "link": "https://gazette.example/sea-wall",
        "pubDate": "Mon, 02 Mar 2026 08:30:00 GMT",
        "author": "Ann Quill",
        "description": "The board voted to rebuild the wall.",
        "content": "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + "<script>track()</script>",
    },
    {
        "title": "Ferry timetable doubles",
        "link": "https://gazette.example/ferry",
        "pubDate": "Tue, 03 Mar 2026 10:00:00 +0100",
        "description": "The ferry to Kell Island will run <b>twice a day</b> from June.",
    },
]

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Kell Island Courier</title>
  <entry>
    <title>Quarry lorries to avoid school road</title>
    <link href="https://courier.example/lorries"/>
    <updated>2026-03-05T12:00:00Z</updated>
    <author><name>Tom Brannock</name></author>
    <content type="html">&lt;p&gt;Lorries carrying stone for the sea wall will use the coast road.&lt;/p&gt;&lt;p&gt;The school road stays closed to them.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain text entry</title>
    <link href="https://courier.example/plain"/>
    <published>2026-03-06T09:00:00Z</published>
    <content type="text">Fish market moves to the ferry terminal &amp; opens at six.</content>
  </entry>
</feed>
"""


def write(tmp_path, name, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_rss_items_become_documents_with_their_metadata(tmp_path):
    path = write(tmp_path, "gazette.rss", rss(ITEMS))
    result = ingest([path])
    assert not result.errors
    sea_wall, ferry = result.documents
    assert sea_wall.path == f"{path}#1" and ferry.path == f"{path}#2"
    assert sea_wall.text == "\n".join(PARAGRAPHS[:2])  # content:encoded, not the shorter description
    assert ferry.text == "The ferry to Kell Island will run twice a day from June."
    assert (sea_wall.meta.title, sea_wall.meta.url, sea_wall.meta.source, sea_wall.meta.author) == (
        "Harbour board backs new sea wall", "https://gazette.example/sea-wall", "Tidewater Gazette", "Ann Quill",
    )  # fmt: skip
    assert (sea_wall.meta.published, ferry.meta.published) == (date(2026, 3, 2), date(2026, 3, 3))
    assert result.records == 2


def test_atom_entries_html_and_text_content(tmp_path):
    lorries, plain = ingest([write(tmp_path, "courier.xml", ATOM)]).documents
    assert lorries.text == "Lorries carrying stone for the sea wall will use the coast road.\nThe school road stays closed to them."
    assert (lorries.meta.source, lorries.meta.author, lorries.meta.published) == ("Kell Island Courier", "Tom Brannock", date(2026, 3, 5))
    assert plain.text == "Fish market moves to the ferry terminal & opens at six."
    assert plain.meta.url == "https://courier.example/plain"


def test_an_item_without_text_is_an_error_naming_it_and_the_rest_is_kept(tmp_path):
    path = write(tmp_path, "feed.rss", rss([{"title": "Link only", "link": "https://gazette.example/x"}, ITEMS[1]]))
    result = ingest([path])
    assert [d.path for d in result.documents] == [f"{path}#2"]
    [error] = result.errors
    assert error.name == f"{path}#1" and "no text" in error.reason and "Link only" in error.reason


def test_a_feed_without_items_is_an_error(tmp_path):
    path = write(tmp_path, "empty.rss", rss([]))
    [error] = ingest([path]).errors
    assert error.name == path and error.reason == "feed has no items"


def test_a_broken_feed_keeps_its_items_with_a_warning(tmp_path):
    broken = rss(ITEMS).replace("</channel></rss>", "<item><title>cut off")
    path = write(tmp_path, "broken.xml", broken)
    result = ingest([path])
    assert len(result.documents) == 2
    assert [e.name for e in result.errors] == [f"{path}#3"]  # the cut-off item has no text
    assert any("not well-formed" in w for w in result.warnings)


def test_an_unreadable_feed_is_an_error(tmp_path):
    path = write(tmp_path, "bad.rss", "<?xml version='1.0'?><rss><channel><title>x</title><<<")
    [error] = ingest([path]).errors
    assert error.name == path and ("not a readable" in error.reason or "no items" in error.reason)


def test_feeds_are_recognised_by_content(tmp_path):
    assert len(ingest([write(tmp_path, "saved.txt", rss(ITEMS))]).documents) == 2


def test_max_records_applies_to_items(tmp_path):
    result = ingest([write(tmp_path, "feed.rss", rss(ITEMS))], ReadOptions(max_records=1))
    assert len(result.documents) == 1 and "max_records" in result.errors[0].reason
