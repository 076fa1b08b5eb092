"""The streaming engine: reading CSV/TSV/JSON Lines, passthrough, exact results, errors."""

from __future__ import annotations

import io
import json
import math
import os
import struct
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actcli
from actcli.data import stream
from actcli.data.stream import CellError, ColumnError, DataError, OptionError, StreamReport


def relu(v: np.ndarray) -> list[np.ndarray]:
    return [np.maximum(v[:, 0], 0.0)]


def run(data: bytes, compute=relu, names=("relu",), **options) -> tuple[bytes, StreamReport]:
    sink = io.BytesIO()
    summary = stream.run(io.BytesIO(data), sink, compute,
                         names if callable(names) else list(names), **options)
    return sink.getvalue(), summary


def run_failing(data: bytes, error: type[Exception], compute=relu, names=("relu",), **options):
    """The exception raised, and what was written before it."""
    sink = io.BytesIO()
    with pytest.raises(error) as caught:
        stream.run(io.BytesIO(data), sink, compute, list(names), **options)
    return caught.value, sink.getvalue()


class Recorder:
    """A compute that records what it was given and returned (the expected values)."""

    def __init__(self, function) -> None:
        self.function = function
        self.inputs: list[np.ndarray] = []
        self.outputs: list[np.ndarray] = []

    def __call__(self, values: np.ndarray) -> list[np.ndarray]:
        self.inputs.append(values.copy())
        results = self.function(values)
        self.outputs.append(np.stack(results, axis=1))
        return results

    def given(self) -> np.ndarray:
        return np.concatenate(self.inputs)

    def returned(self) -> np.ndarray:
        return np.concatenate(self.outputs)


def bits(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).view(np.int64)


# --- header, passthrough, results ----------------------------------------------------------

def test_headerless_single_column_like_seq():
    out, summary = run(b"".join(b"%d\n" % i for i in range(-5, 6)))
    assert out.decode().splitlines() == [f"{i},{float(max(i, 0))!r}" for i in range(-5, 6)]
    assert summary.header is False and summary.rows == 11 and summary.columns == ("x",)


def test_headerless_input_gets_a_header_only_when_asked():
    out, _ = run(b"1\n-2\n", write_header=True)
    assert out == b"x,relu\n1,1.0\n-2,0.0\n"
    out, _ = run(b"1,2\n3,4\n", columns=["2"], write_header=True)
    assert out.splitlines()[0] == b"x1,x2,relu"


def test_header_is_detected_and_result_names_are_appended():
    out, summary = run(b"x\n-1.5\n2\n")
    assert out == b"x,relu\n-1.5,0.0\n2,2.0\n"
    assert summary.header is True and summary.rows == 2


def test_a_header_is_dropped_when_asked():
    out, _ = run(b"x\n3\n", write_header=False)
    assert out == b"3,3.0\n"


@pytest.mark.parametrize("first, is_header", [
    (b"1,2.5,-3e2", False), (b"nan,inf,1", False), (b"1,,2", False), (b" 1 , 2 ,3", False),
    (b"a,1,2", True), (b"x,y,z", True), (b",a,b", True), (b"1_0,2,3", True),
])
def test_first_line_is_a_header_unless_its_cells_are_numbers(first, is_header):
    _, summary = run(first + b"\n4,5,6\n", columns=["3"], on_error="nan")
    assert summary.header is is_header


def test_header_flag_overrides_detection():
    out, summary = run(b"1\n2\n", header=True)
    assert summary.columns == ("1",) and out == b"1,relu\n2,2.0\n"
    error, _ = run_failing(b"x\n2\n", CellError, header=False)
    assert error.line == 1


def test_only_writes_the_results_alone():
    out, _ = run(b"a,x\nq,-1\nr,4\n", only=True)
    assert out == b"relu\n0.0\n4.0\n"
    grad = lambda v: [v[:, 0] * 2, np.full(len(v), 2.0)]  # noqa: E731
    out, _ = run(b"x\n1\n", grad, ("f", "f_grad"), only=True)
    assert out == b"f,f_grad\n2.0,2.0\n"


def test_several_results_are_appended_in_order():
    out, _ = run(b"x\n-2\n3\n", lambda v: [v[:, 0] ** 2, 2 * v[:, 0], np.full(len(v), 2.0)],
                 ("sq", "sq_grad", "sq_grad2"))
    assert out == b"x,sq,sq_grad,sq_grad2\n-2,4.0,-4.0,2.0\n3,9.0,6.0,2.0\n"


def test_other_columns_pass_through_byte_for_byte():
    rows = [
        b'"Smith, J.",  -1.25 ,"say ""hi""",\xc3\xa9t\xc3\xa9',
        b'plain,3,"",\xff\xfe not utf-8',
        b'  spaced  ,0.5,"a\tb",last ',
    ]
    data = b"name,x,quote,misc\n" + b"\n".join(rows) + b"\n"
    out, _ = run(data)
    lines = out.split(b"\n")
    assert lines[0] == b"name,x,quote,misc,relu"
    assert [line.rsplit(b",", 1)[0] for line in lines[1:-1]] == rows
    assert [float(line.rsplit(b",", 1)[1]) for line in lines[1:-1]] == [0.0, 3.0, 0.5]


def test_quoted_field_with_a_line_break_passes_through_across_blocks():
    data = b'note,x\n"two\nlines, one cell",2\nplain,-3\n"a\r\nb",4\n'
    for block_size in (4, 9, 1 << 20):
        out, summary = run(data, block_size=block_size)
        assert out == (b'note,x,relu\n"two\nlines, one cell",2,2.0\nplain,-3,0.0\n'
                       b'"a\r\nb",4,4.0\n'), block_size
        assert summary.rows == 3


def test_results_read_back_exactly_and_are_shortest():
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.standard_normal(3000) * 10.0 ** rng.integers(-300, 300, 3000),
                        [5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1e16,
                         1e-7, 123456789.0, -0.0]])
    data = b"x\n" + "\n".join(map(repr, x.tolist())).encode() + b"\n"
    compute = Recorder(lambda v: [v[:, 0] * 0.9, v[:, 0] / 3])
    out, _ = run(data, compute, ("a", "b"), block_size=4096)
    cells = [line.split(b",") for line in out.splitlines()[1:]]
    assert bits(compute.given()[:, 0]).tolist() == bits(x).tolist()
    got = np.array([[float(a), float(b)] for _, a, b in cells])
    assert np.array_equal(bits(got), bits(compute.returned()))
    for (_, *texts), values in zip(cells, got):
        for text, value in zip(texts, values):
            assert significant_digits(text.decode()) <= significant_digits(repr(value))


def test_float32_results_are_shortest_float32_text():
    x = np.random.default_rng(3).standard_normal(500)
    data = "\n".join(map(repr, x.tolist())).encode() + b"\n"
    compute = Recorder(lambda v: [np.exp(v[:, 0])])
    out, _ = run(data, compute, ("e",), dtype=np.float32)
    assert compute.inputs[0].dtype == np.float32
    cells = [line.split(b",")[1].decode() for line in out.splitlines()]
    values = compute.returned()[:, 0]
    assert [np.float32(c) for c in cells] == values.tolist()
    assert all(significant_digits(c) <= significant_digits(str(v)) for c, v in zip(cells, values))


def significant_digits(text: str) -> int:
    mantissa = text.lstrip("-").lower().split("e")[0].replace(".", "")
    return len(mantissa.strip("0")) or 1


def test_non_finite_results_are_spelt_nan_inf_and_minus_inf():
    values = {b"a": math.nan, b"b": math.inf, b"c": -math.inf, b"d": 1.0}
    compute = lambda v: [np.array([values[k] for k in keys])]  # noqa: E731
    for keys in ([b"a", b"b", b"c", b"d"], [b"b", b"d"], [b"a", b"a"], [b"c", b"d"]):
        data = b"k,v\n" + b"".join(b"%s,1\n" % k for k in keys)
        out, _ = run(data, compute, ("f",), columns=["2"])
        spelt = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "1.0": 1.0}
        cells = [line.split(b",")[2].decode() for line in out.splitlines()[1:]]
        assert all(c in spelt for c in cells)
        assert [spelt[c] for c in cells] == pytest.approx([values[k] for k in keys], nan_ok=True)


# --- reading cells ------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    (b"-0", -0.0), (b"-0.0", -0.0), (b"0", 0.0), (b"+1.5", 1.5), (b".5", 0.5), (b"5.", 5.0),
    (b"1E3", 1000.0), (b"  2.5\t", 2.5), (b"NaN", math.nan), (b"-inf", -math.inf),
    (b"Infinity", math.inf), (b"1e999", math.inf), (b"123456789012345678901234567890", 1.2345678901234568e29),
    (b"0.1000000000000000055511151231257827", 0.1),
])
def test_cells_are_read_as_python_reads_floats(text, value):
    for data in (b"x\n" + text + b"\n", b"x,y\n" + text + b",1\n", b'x,y\n' + text + b',"q"\n'):
        compute = Recorder(relu)
        run(data, compute)
        assert bits(compute.given()) == bits([[value]]), data


@given(st.lists(st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.sampled_from(["-0", "+0", "-0e5", ".5", "-.5e-3", "5.", " 1 ", "nan", "-Infinity", "1_0",
                     "", "abc", "0x10", "1e", "--1", "1,5"]),
), min_size=1, max_size=40), st.sampled_from([",", "\t"]))
@settings(max_examples=150, deadline=None)
def test_fast_and_careful_paths_agree(cells, delimiter):
    """Quoting one cell sends a block down the careful path; the output must not change."""
    body = "".join(f"{c}{delimiter}k\n" for c in cells).encode()
    quoted = body.replace(f"{delimiter}k\n".encode(), f'{delimiter}"k"\n'.encode())
    outcomes = []
    for data in (body, quoted):
        compute = Recorder(lambda v: [v[:, 0]])
        try:
            out, _ = run(b"x" + delimiter.encode() + b"k\n" + data, compute, ("y",),
                         on_error="nan")
        except DataError as error:  # a cell holding the delimiter makes a ragged row
            outcomes.append(str(error))
            continue
        out = out.replace(b'"k"', b"k")
        outcomes.append((out, bits(compute.given()).tolist()))
    assert outcomes[0] == outcomes[1]


def test_underscores_are_not_digits():
    error, _ = run_failing(b"x\n1_000\n", CellError)
    assert error.cell == "1_000"


# --- bad cells, ragged rows, on_error ----------------------------------------------------------

def test_bad_cell_error_names_line_column_and_cell_after_writing_earlier_rows():
    data = b"id,x\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(1, 2001)) + b"1999,oops\n5,5\n"
    for block_size in (64, 1 << 20):
        error, written = run_failing(data, CellError, block_size=block_size)
        assert str(error) == "line 2002: column 'x': 'oops' is not a number"
        assert (error.line, error.column, error.cell) == (2002, "x", "oops")
        lines = written.splitlines()
        assert len(lines) == 2001 and lines[-1] == b"2000,2000,2000.0"


def test_line_numbers_count_the_header_and_blank_lines():
    error, written = run_failing(b"\n\nx\n1\n\n   \n2\nbad\n", CellError)
    assert error.line == 8
    assert written == b"x,relu\n1,1.0\n2,2.0\n"


@pytest.mark.parametrize("cell", [b"", b"  ", b'"1.5e"', b"1.2.3", b"0x1p3", b"1 2"])
def test_empty_and_malformed_cells_are_bad_cells(cell):
    error, _ = run_failing(b"k,x\na," + cell + b"\n", CellError)
    assert error.line == 2


def test_on_error_nan_reads_bad_cells_as_nan_and_counts_them():
    compute = Recorder(relu)
    out, summary = run(b"k,x\na,1\nb,foo\n\nc,3\nd,\n", compute, on_error="nan")
    assert out == b"k,x,relu\na,1,1.0\nb,foo,nan\nc,3,3.0\nd,,nan\n"
    assert (summary.rows, summary.nan_cells, summary.skipped) == (4, 2, 0)
    assert np.isnan(compute.given()[[1, 3], 0]).all()


def test_on_error_skip_drops_the_row_and_counts_it():
    out, summary = run(b"x\n1\nfoo\n3\n", on_error="skip")
    assert out == b"x,relu\n1,1.0\n3,3.0\n"
    assert (summary.rows, summary.nan_cells, summary.skipped) == (3, 0, 1)


@pytest.mark.parametrize("rows, line", [
    (b"1,2\n3\n", 3), (b"1,2\n3,4,5\n", 3), (b"1,2\n3,4\n5,6,7\n8\n", 4),  # 3+1 fields = 2 rows' worth
])
def test_ragged_rows_are_an_error_after_the_rows_before(rows, line):
    for block_size in (3, 1 << 20):
        error, written = run_failing(b"a,x\n" + rows, DataError, block_size=block_size)
        assert error.line == line and "fields where the header has 2" in str(error)
        assert len(written.splitlines()) == line - 1


def test_an_unclosed_quote_is_an_error():
    error, written = run_failing(b'x,note\n1,ok\n2,"never closed\n3,x\n', DataError)
    assert "quoted field is not closed" in str(error) and error.line == 3
    assert written == b"x,note,relu\n1,ok,1.0\n"


# --- line endings, BOM, blank lines, empty input -----------------------------------------------

def test_crlf_input_gives_crlf_output():
    out, _ = run(b"a,x\r\nq,-1\r\nr,2\r\n")
    assert out == b"a,x,relu\r\nq,-1,0.0\r\nr,2,2.0\r\n"
    out, _ = run(b'a,x\r\n"q",-1\r\n')  # the careful path too
    assert out == b'a,x,relu\r\n"q",-1,0.0\r\n'


def test_crlf_with_several_results_alone_or_appended_on_both_paths():
    grad = lambda v: [v[:, 0] * 2, np.full(len(v), 2.0)]  # noqa: E731
    names = ("f", "f_grad")
    for quote in (b"", b'"'):  # quotes send the block to the careful path
        data = b"a,x\r\n" + quote + b"q" + quote + b",1\r\nr,-3\r\n"
        out, _ = run(data, grad, names)
        assert out == (b"a,x,f,f_grad\r\n" + quote + b"q" + quote
                       + b",1,2.0,2.0\r\nr,-3,-6.0,2.0\r\n")
        out, _ = run(data, grad, names, only=True)
        assert out == b"f,f_grad\r\n2.0,2.0\r\n-6.0,2.0\r\n"
    # A line break inside a quoted field is the field's, not the end of its row.
    out, _ = run(b'a,x\r\n"p\r\nq",1\r\n', grad, names)
    assert out == b'a,x,f,f_grad\r\n"p\r\nq",1,2.0,2.0\r\n'


def test_a_utf8_bom_is_not_part_of_the_first_column_name():
    out, summary = run(b"\xef\xbb\xbfx,y\n1,2\n")
    assert summary.columns == ("x", "y") and out == b"x,y,relu\n1,2,1.0\n"


def test_blank_lines_are_skipped():
    out, summary = run(b"\n\nx\n\n1\n \n\n2\n\n")
    assert out == b"x,relu\n1,1.0\n2,2.0\n" and summary.rows == 2


def test_surrounding_spaces_in_names_and_numbers():
    out, summary = run(b" a , x \n z ,  -3 \n")
    assert summary.columns == ("a", "x") and out == b" a , x ,relu\n z ,  -3 ,0.0\n"


def test_missing_final_line_break():
    out, _ = run(b"x\n1\n2")
    assert out == b"x,relu\n1,1.0\n2,2.0\n"


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_input_gives_empty_output(data):
    out, summary = run(data)
    assert out == b"" and summary.rows == 0 and summary.columns == ()


def test_a_header_alone_gives_the_header():
    out, summary = run(b"a,x\n")
    assert out == b"a,x,relu\n" and summary.rows == 0


# --- delimiters and JSON Lines ------------------------------------------------------------------

def test_tsv_by_format_and_by_sniffing():
    data = b"name\tx\nfoo, bar\t-2\nbaz\t3\n"
    expected = b"name\tx\trelu\nfoo, bar\t-2\t0.0\nbaz\t3\t3.0\n"
    assert run(data, fmt="tsv")[0] == expected
    assert run(data)[0] == expected
    assert run(b"a;x\n1;2\n")[0] == b"a;x;relu\n1;2;2.0\n"
    assert run(b"a|x\n1|2\n", delimiter="|")[0] == b"a|x|relu\n1|2|2.0\n"


def test_result_names_holding_the_delimiter_are_quoted():
    out, _ = run(b"x\n1\n", names=['elu(alpha=1, x)'])
    assert out.splitlines()[0] == b'x,"elu(alpha=1, x)"'


@pytest.mark.parametrize("delimiter", ["ab", "", "1", "e", ".", "-", '"', "\n"])
def test_delimiters_that_cannot_work_are_refused(delimiter):
    run_failing(b"x\n1\n", OptionError, delimiter=delimiter)


def test_jsonl_appends_keys_and_keeps_the_rest_of_each_line():
    data = (b'{"id": "a", "x": -1.5}\n{"x":2,"nested":{"x":9}}\n\n'
            b'{"x": null}\n  {"x": 1e999} \r\n{"x": NaN}\n')
    compute = Recorder(relu)
    out, summary = run(data, compute, fmt="jsonl")
    assert out.splitlines() == [
        b'{"id": "a", "x": -1.5,"relu":0.0}', b'{"x":2,"nested":{"x":9},"relu":2.0}',
        b'{"x": null,"relu":"nan"}', b'  {"x": 1e999,"relu":"inf"}', b'{"x": NaN,"relu":"nan"}']
    assert [json.loads(line)["relu"] for line in out.splitlines()[:2]] == [0.0, 2.0]
    assert summary.columns == ("id", "x") and summary.rows == 5
    assert np.isinf(compute.given()[3, 0]) and np.isnan(compute.given()[2, 0])


def test_jsonl_only_and_empty_objects():
    out, _ = run(b'{"x": 3}\n', fmt="jsonl", only=True, names=["a b"])
    assert out == b'{"a b":3.0}\n'
    out, _ = run(b'{"x": 3}\n{}\n', fmt="jsonl", on_error="nan")
    assert out == b'{"x": 3,"relu":3.0}\n{"relu":"nan"}\n'


def test_jsonl_errors():
    error, written = run_failing(b'{"x": 1}\n{"x": "2"}\n', CellError, fmt="jsonl")
    assert str(error) == "line 2: column 'x': '\"2\"' is not a number"
    assert written == b'{"x": 1,"relu":1.0}\n'
    error, _ = run_failing(b'{"x": 1}\n{"y": 2}\n', CellError, fmt="jsonl")
    assert str(error) == "line 2: column 'x': missing"
    error, _ = run_failing(b'{"x": true}\n', CellError, fmt="jsonl")
    error, written = run_failing(b'{"x": 1}\n[1]\n', DataError, fmt="jsonl")
    assert str(error) == "line 2: expected a JSON object, got list" and written
    error, _ = run_failing(b'{"x": 1\n', DataError, fmt="jsonl")
    assert str(error).startswith("line 1: not valid JSON")


# --- columns -------------------------------------------------------------------------------------

def test_softmax_works_row_wise_over_the_chosen_columns():
    softmax = actcli.get("softmax")
    data = b"id,a,b,c\n1,0,0,0\n2,1,2,3\n3,-1000,0,1000\n4,0.5,-7,1e-3\n"
    out, summary = run(data, lambda v: list(softmax.f(v, axis=1).T),
                       lambda chosen: [f"softmax_{c}" for c in chosen], columns=["a", "b", "c"])
    lines = out.splitlines()
    assert lines[0] == b"id,a,b,c,softmax_a,softmax_b,softmax_c"
    probabilities = np.array([[float(c) for c in line.split(b",")[4:]] for line in lines[1:]])
    assert [math.fsum(p) for p in probabilities] == pytest.approx([1.0] * 4, abs=2e-16)
    assert probabilities[0].tolist() == [1 / 3] * 3
    assert probabilities[1].tolist() == pytest.approx(np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(),
                                                      rel=1e-15)
    assert probabilities[2].tolist() == [0.0, 0.0, 1.0]
    assert summary.selected == ("a", "b", "c")


def test_columns_by_name_and_by_one_based_index():
    data = b"a,b,c\n1,-2,3\n"
    assert run(data, columns=["b"])[0] == b"a,b,c,relu\n1,-2,3,0.0\n"
    assert run(data, columns=["3"])[0] == b"a,b,c,relu\n1,-2,3,3.0\n"
    assert run(data, columns=[" c "])[1].selected == ("c",)
    compute = Recorder(lambda v: [v.sum(axis=1)])
    run(data, compute, ("s",), columns=["c", "1"])
    assert compute.given().tolist() == [[3.0, 1.0]]


def test_a_column_name_wins_over_an_index():
    out, summary = run(b"2,1\n-5,7\n", header=True, columns=["1"])
    assert summary.selected == ("1",) and out == b"2,1,relu\n-5,7,7.0\n"


def test_the_column_named_x_is_the_default_among_several():
    out, summary = run(b"a,x,b\n-1,-2,3\n")
    assert summary.selected == ("x",) and out.endswith(b",0.0\n")


def test_column_errors_list_the_columns():
    error, written = run_failing(b"a,b,c\n1,2,3\n", ColumnError)
    assert written == b"" and error.columns == ["a", "b", "c"]
    assert "'a', 'b', 'c'" in str(error) and "\n" not in str(error)
    for wanted in (["d"], ["0"], ["4"], ["-1"]):
        error, _ = run_failing(b"a,b,c\n1,2,3\n", ColumnError, columns=wanted)
        assert "'a', 'b', 'c'" in str(error)
    error, _ = run_failing(b'{"p": 1, "q": 2}\n', ColumnError, fmt="jsonl")
    assert error.columns == ["p", "q"]


def test_result_names_function_sees_the_chosen_columns():
    seen = []
    run(b"a,b\n1,2\n", lambda v: [v[:, 0]], lambda chosen: seen.append(chosen) or ["r"],
        columns=["b"])
    assert seen == [["b"]]


def test_compute_must_return_one_column_per_name():
    with pytest.raises(ValueError, match="2 columns for 1 result names"):
        run(b"x\n1\n", lambda v: [v[:, 0], v[:, 0]], ("a",))
    with pytest.raises(ValueError, match="shape"):
        run(b"x\n1\n2\n", lambda v: [v[:1, 0]], ("a",))


# --- streaming ------------------------------------------------------------------------------------

def test_blocks_are_bounded_whatever_the_input_size():
    data = b"x\n" + b"0.25\n" * 200_000
    compute = Recorder(relu)
    out, summary = run(data, compute, block_size=1 << 16)
    assert summary.rows == 200_000 and out.splitlines()[1:] == [b"0.25,0.25"] * 200_000
    # A block is what one read brings, plus the end of the line the previous read cut.
    assert max(len(chunk) for chunk in compute.inputs) <= (1 << 16) // 5 + 1
    assert len(compute.inputs) >= 200_000 * 5 // (1 << 16)


class WatchingSink(io.RawIOBase):
    """A sink that tells a waiting producer when a given row has been flushed out."""

    def __init__(self, wanted: bytes) -> None:
        self.data = b""
        self.wanted = wanted
        self.seen = threading.Event()
        self.pending = b""

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.pending += bytes(chunk)
        return len(chunk)

    def flush(self) -> None:
        self.data += self.pending
        self.pending = b""
        if self.wanted in self.data:
            self.seen.set()


def test_output_starts_before_input_ends():
    """A producer that writes a few rows and waits sees their results first."""
    read_end, write_end = os.pipe()
    sink = WatchingSink(b"2,2.0\n")
    waited = []

    def produce() -> None:
        with os.fdopen(write_end, "wb", buffering=0) as pipe:
            pipe.write(b"x\n1\n2\n")
            waited.append(sink.seen.wait(timeout=30))
            pipe.write(b"3\n" * 10)

    producer = threading.Thread(target=produce)
    producer.start()
    with os.fdopen(read_end, "rb") as source:
        summary = stream.run(source, sink, relu, ["relu"])
    producer.join()
    assert waited == [True]
    assert summary.rows == 12 and sink.data.endswith(b"3,3.0\n" * 10)


def test_progress_reports_bytes_of_a_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"x\n" + b"1.5\n" * 10_000)
    calls = []
    with path.open("rb") as source:
        stream.run(source, io.BytesIO(), relu, ["relu"], block_size=4096,
                   progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (40_002, 40_002) and len(calls) >= 10
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    calls.clear()
    stream.run(io.BytesIO(b"x\n1\n"), io.BytesIO(), relu, ["relu"],
               progress=lambda done, total: calls.append((done, total)))
    assert calls and all(total is None for _, total in calls)


def test_a_closed_pipe_propagates():
    class Closed(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, chunk) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        stream.run(io.BytesIO(b"x\n1\n"), Closed(), relu, ["relu"])


def test_run_rejects_unknown_options():
    for options in ({"fmt": "xml"}, {"on_error": "ignore"}, {"dtype": np.int64}):
        with pytest.raises(ValueError):
            run(b"x\n1\n", **options)


def test_numbers_through_struct_are_exact():
    """Every float64 bit pattern class (subnormal, max, negative zero) survives a pass."""
    patterns = [0x0000000000000001, 0x000FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF, 0x8000000000000000,
                0x3FB999999999999A, 0xC00921FB54442D18]
    x = [struct.unpack("<d", struct.pack("<Q", p))[0] for p in patterns]
    data = "\n".join(map(repr, x)).encode() + b"\n"
    out, _ = run(data, lambda v: [v[:, 0]], ("same",))
    assert bits([float(line.split(b",")[1]) for line in out.splitlines()]).tolist() == \
        bits(x).tolist()


@pytest.mark.parametrize("block_size", [3, 1 << 20])
def test_on_error_skip_drops_ragged_rows_like_bad_cells(block_size):
    out, summary = run(b"x,y\n1,2\n3\n4,5\n6,7,8\n-9,0\n", columns=["x"], on_error="skip",
                       block_size=block_size)
    assert out == b"x,y,relu\n1,2,1.0\n4,5,4.0\n-9,0,0.0\n"
    assert (summary.rows, summary.skipped, summary.nan_cells) == (5, 2, 0)


@pytest.mark.parametrize("block_size", [3, 1 << 20])
def test_on_error_nan_reads_ragged_rows_as_nan(block_size):
    compute = Recorder(relu)
    out, summary = run(b"x,y\n1,2\n3\n4,5\n6,7,8\n", compute, columns=["x"], on_error="nan",
                       block_size=block_size)
    # The short row is padded so its result stays in the relu column.
    assert out == b"x,y,relu\n1,2,1.0\n3,,nan\n4,5,4.0\n6,7,8,nan\n"
    assert (summary.rows, summary.skipped, summary.nan_cells) == (4, 0, 2)
    assert np.isnan(compute.given()[[1, 3], 0]).all()
