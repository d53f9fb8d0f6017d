"""Frame specs, chunks, scout frames and Katana's -t form."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciokatana.core import frames as fr


def expand_katana(text):
    """Read a Katana -t value back into frames (what Katana would render)."""
    frames = []
    for part in text.split(","):
        if "-" in part[1:]:
            a, b = part.split("-", 1) if not part.startswith("-") else part[1:].split("-", 1)
            frames.extend(range(int(a), int(b) + 1))
        else:
            frames.append(int(part))
    return frames


def test_parse_frames_accepts_ranges_steps_and_lists():
    assert list(fr.parse_frames("1-5, 10,20-24x2")) == [1, 2, 3, 4, 5, 10, 20, 22, 24]


@pytest.mark.parametrize("spec", ["", "   ", "1-x", "a", "1--", "1-10x0", "1-10y2"])
def test_bad_frame_specs_say_what_was_typed(spec):
    with pytest.raises(fr.FrameSpecError) as err:
        fr.parse_frames(spec)
    assert "frame spec" in str(err.value)


def test_huge_frame_spec_is_refused_without_expanding_it():
    with pytest.raises(fr.FrameSpecError, match="1,000,000,000 frames"):
        fr.parse_frames("1-1000000000")


@pytest.mark.parametrize("value,expected", [(1, 1), ("4", 4), (5.0, 5), (" 12 ", 12)])
def test_chunk_size_accepts_whole_numbers(value, expected):
    assert fr.parse_chunk_size(value) == expected


@pytest.mark.parametrize("value", [0, -2, "x", "", 2.5, "1e400x"])
def test_chunk_size_rejects_other_values(value):
    with pytest.raises(fr.FrameSpecError, match="chunk size"):
        fr.parse_chunk_size(value)


def test_scout_auto_spreads_frames_evenly():
    assert list(fr.scout_frames("auto:3", fr.parse_frames("1-100"))) == [17, 51, 84]


def test_scout_fml_takes_first_middle_last():
    assert list(fr.scout_frames("fml:3", fr.parse_frames("1-100"))) == [1, 51, 100]


def test_scout_fml_with_more_frames_than_the_job_takes_all():
    assert list(fr.scout_frames("fml:10", fr.parse_frames("1-4"))) == [1, 2, 3, 4]


def test_scout_explicit_spec_is_intersected_with_the_frames():
    assert list(fr.scout_frames("1-10", fr.parse_frames("1-20x3"))) == [1, 4, 7, 10]


def test_scout_explicit_spec_outside_the_frames_gives_none():
    assert fr.scout_frames("500", fr.parse_frames("1-20")) is None


def test_empty_scout_spec_means_no_scout_frames():
    assert fr.scout_frames("  ", fr.parse_frames("1-20")) is None


@pytest.mark.parametrize("spec", ["auto:", "auto:0", "fml:x", "auto:-1", "nope"])
def test_bad_scout_specs(spec):
    with pytest.raises(fr.FrameSpecError, match="scout spec"):
        fr.scout_frames(spec, fr.parse_frames("1-20"))


def test_katana_frames_has_no_step_notation():
    chunk = fr.chunks(fr.parse_frames("1-10x2"), 10)[0]
    assert str(chunk) == "1-9x2"
    assert fr.katana_frames(chunk) == "1,3,5,7,9"


def test_katana_frames_writes_runs():
    assert fr.katana_frames([1, 2, 3, 5, 7, 8, 20]) == "1-3,5,7-8,20"


specs = st.lists(
    st.tuples(st.integers(0, 3000), st.integers(0, 60), st.integers(1, 7)), min_size=1, max_size=5
).map(lambda parts: ",".join("{}-{}x{}".format(a, a + n, s) for a, n, s in parts))


@given(spec=specs, chunk_size=st.integers(1, 40))
def test_chunks_cover_every_frame_once_in_order(spec, chunk_size):
    frames = fr.parse_frames(spec)
    chunks = fr.chunks(frames, chunk_size)
    flat = [f for c in chunks for f in c]
    assert flat == list(frames)
    assert all(len(c) <= chunk_size for c in chunks)
    assert len(chunks) == fr.task_count(frames, chunk_size)


@given(spec=specs, chunk_size=st.integers(1, 40))
def test_katana_form_renders_exactly_the_chunk(spec, chunk_size):
    for chunk in fr.chunks(fr.parse_frames(spec), chunk_size):
        text = fr.katana_frames(chunk)
        assert "x" not in text
        assert re.fullmatch(r"\d+(-\d+)?(,\d+(-\d+)?)*", text)
        assert expand_katana(text) == list(chunk)


@given(spec=specs, count=st.integers(1, 30), kind=st.sampled_from(["auto", "fml"]))
def test_scout_forms_pick_frames_of_the_job(spec, count, kind):
    frames = fr.parse_frames(spec)
    scout = list(fr.scout_frames("{}:{}".format(kind, count), frames))
    assert set(scout) <= set(frames)
    assert len(scout) == min(count, len(frames))
    if kind == "fml":
        assert scout[0] == frames.start
        if count >= 2 and len(frames) >= 2:
            assert scout[-1] == frames.end


@given(spec=specs, scout=specs)
def test_explicit_scout_is_the_intersection(spec, scout):
    frames = fr.parse_frames(spec)
    result = fr.scout_frames(scout, frames)
    expected = sorted(set(frames) & set(fr.parse_frames(scout)))
    assert (list(result) if result is not None else []) == expected


# -- linear chunking: the same texts as cioseq, without its quadratic copy --

def _cioseq_chunks(frames, chunk_size):
    """What the planner did before: cioseq's own linear chunk strategy."""
    from cioseq.sequence import Sequence

    return Sequence.create(list(frames), chunk_size=chunk_size).chunks()


frame_lists = st.lists(st.integers(-50, 400), min_size=1, max_size=80, unique=True).map(sorted)


@given(values=frame_lists)
def test_spec_text_is_cioseqs_text(values):
    from cioseq.sequence import Sequence

    assert fr.spec_text(values) == str(Sequence.create(values))


@given(spec=specs, chunk_size=st.integers(1, 40))
def test_chunk_texts_match_cioseq_chunks(spec, chunk_size):
    frames = fr.parse_frames(spec)
    expected = [(c.start, c.end, str(c), fr.katana_frames(c)) for c in _cioseq_chunks(frames, chunk_size)]
    assert list(fr.chunk_texts(frames, chunk_size)) == expected


@given(values=frame_lists, chunk_size=st.integers(1, 12))
def test_chunk_texts_match_cioseq_on_irregular_frames(values, chunk_size):
    frames = fr.parse_frames(",".join(str(v) for v in values))
    expected = [(c.start, c.end, str(c), fr.katana_frames(c)) for c in _cioseq_chunks(frames, chunk_size)]
    assert list(fr.chunk_texts(frames, chunk_size)) == expected
    assert [str(c) for c in fr.chunks(frames, chunk_size)] == [e[2] for e in expected]


def test_a_hundred_thousand_single_frame_tasks_are_chunked():
    """The typo '1001-100000' at chunk 1 (minutes through cioseq) gives
    every frame its own task; bench/bench_plan.py times it."""
    frames = fr.parse_frames("1001-100000")
    texts = list(fr.chunk_texts(frames, 1))
    assert len(texts) == 99000 == fr.task_count(frames, 1)
    assert texts[0] == (1001, 1001, "1001", "1001") and texts[-1][2] == "100000"
