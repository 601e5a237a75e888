"""The clean stage's public API: components, order, names and settings."""

import dataclasses

import newscollate.clean as clean
from newscollate.pipeline import Corpus


def test_default_cleaners_in_order_with_names():
    components = clean.default_cleaners()
    assert [c.name for c in components] == ["junk", "repeats", "paragraphs", "segments"]
    assert [type(c) for c in components] == [
        clean.JunkLineRemover,
        clean.RepeatedLineRemover,
        clean.ParagraphSplitter,
        clean.StorySegmenter,
    ]


def test_every_component_takes_a_settings_dataclass_with_defaults():
    pairs = [
        (clean.JunkLineRemover, clean.JunkConfig),
        (clean.RepeatedLineRemover, clean.RepeatConfig),
        (clean.ParagraphSplitter, clean.ParagraphConfig),
        (clean.StorySegmenter, clean.SegmentConfig),
    ]
    for component, config in pairs:
        assert dataclasses.is_dataclass(config) and component.__doc__ and config.__doc__
        assert component(config=config()).config == config()
        component()(Corpus([]))  # an empty corpus is fine
