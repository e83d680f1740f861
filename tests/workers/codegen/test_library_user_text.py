"""User text never breaks the generated library: a project, impulse, labels and axes full of
backslashes, quotes, `*/`, `/*`, trigraphs, line breaks, non-ASCII and a bidirectional override
still give C and C++ that compile with -Wall -Wextra -Werror (real gcc and g++), print the labels
byte for byte, JSON that parses back to the same names, and files with not one line more than a
library with plain names."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pytest
from support.hostile_names import AXES, IMPULSE_NAME, LABELS, NASTY, PROJECT, hostile_impulse
from support.library_build import HOST_FLAGS

from workers.codegen.c_literals import c_comment, c_string
from workers.codegen.library import LibraryRequest, arduino_zip, cpp_zip, generate_library, tflite_zip

pytestmark = pytest.mark.skipif(
    shutil.which("gcc") is None or shutil.which("g++") is None, reason="gcc and g++ are not installed"
)


@pytest.fixture(scope="module")
def trained():
    from support.motion_impulse import train_motion_impulse

    return train_motion_impulse(n_train_per_class=30, n_test_per_class=1, clusters=4)


@pytest.fixture(scope="module")
def hostile(trained):
    req = LibraryRequest(
        PROJECT,
        hostile_impulse(),
        LABELS,
        trained.tflite["int8"],
        "int8",
        trained.anomaly,
        build=7,
        impulse_name=IMPULSE_NAME,
    )
    return req, generate_library(req)


def compile_and_run(tmp_path, name: str, source: str, compiler: str, flags: list[str]) -> bytes:
    (tmp_path / name).write_text(source, encoding="utf-8")
    subprocess.run([compiler, *flags, "-o", "program", name], cwd=tmp_path, check=True, capture_output=True)
    return subprocess.run([str(tmp_path / "program")], check=True, capture_output=True).stdout


@pytest.mark.parametrize(
    "compiler,flags",
    [
        ("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror"]),
        ("g++", ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-trigraphs"]),
    ],
)
def test_c_string_gives_back_the_exact_utf8_bytes(tmp_path, compiler, flags):
    body = "".join(f"    fputs({c_string(s)}, stdout);\n    putchar(0);\n" for s in NASTY)
    out = compile_and_run(
        tmp_path,
        "strings.c" if compiler == "gcc" else "strings.cpp",
        f"#include <stdio.h>\nint main(void)\n{{\n{body}    return 0;\n}}\n",
        compiler,
        flags,
    )
    assert out.split(b"\0")[:-1] == [s.encode() for s in NASTY]


@pytest.mark.parametrize(
    "compiler,flags",
    [
        ("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror"]),
        ("g++", ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-trigraphs"]),
    ],
)
def test_c_comment_never_ends_a_comment_or_swallows_code(tmp_path, compiler, flags):
    # Every comment is followed by code on the next line: it runs only if the comment ended where it should.
    body = "".join(f"    /* {c_comment(s)} */\n    n += 1; // {c_comment(s)} .\n    n += 1;\n" for s in NASTY)
    out = compile_and_run(
        tmp_path,
        "comments.c" if compiler == "gcc" else "comments.cpp",
        f'#include <stdio.h>\nint main(void)\n{{\n    int n = 0;\n{body}    printf("%d", n);\n    return 0;\n}}\n',
        compiler,
        flags,
    )
    assert out == str(2 * len(NASTY)).encode()
    assert all("\n" not in c_comment(s) and "*/" not in c_comment(s) and "??" not in c_comment(s) for s in NASTY)


def test_hostile_names_compile_and_the_labels_come_back_byte_for_byte(hostile, tmp_path):
    _, lib = hostile
    for name, text in lib.sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "labels.c").write_text(
        f'#include <stdio.h>\n#include "{lib.header}"\n'
        "static const char *const from_macro[] = TF_CLASSIFIER_LABELS;\n"
        "int main(void)\n{\n    int i;\n    for (i = 0; i < TF_CLASSIFIER_LABEL_COUNT; i++) {\n"
        "        fputs(tf_classifier_labels[i], stdout);\n        putchar(0);\n"
        "        fputs(from_macro[i], stdout);\n        putchar(0);\n    }\n    return 0;\n}\n",
        encoding="utf-8",
    )
    sources = ["labels.c", *[n for n in lib.sources if n.endswith(".c")]]
    subprocess.run(
        ["gcc", *HOST_FLAGS, "-o", "labels", *sources, "-lm"], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    out = subprocess.run([str(tmp_path / "labels")], check=True, capture_output=True).stdout
    assert out.split(b"\0")[:-1] == [label.encode() for label in LABELS for _ in range(2)]


def test_hostile_names_build_the_cpp_library_and_example_with_werror(hostile, tmp_path):
    req, lib = hostile
    zipfile.ZipFile(io.BytesIO(cpp_zip(lib, req))).extractall(tmp_path)
    root = tmp_path / lib.name
    strict = "-Wall -Wextra -Werror"
    subprocess.run(
        [
            "cmake",
            "-S",
            str(root),
            "-B",
            str(root / "build"),
            f"-DCMAKE_C_FLAGS={strict}",
            f"-DCMAKE_CXX_FLAGS={strict} -trigraphs",
        ],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(["cmake", "--build", str(root / "build")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_hostile_names_reach_the_metadata_json_unchanged(hostile, trained):
    req, lib = hostile
    z = zipfile.ZipFile(io.BytesIO(tflite_zip(lib, req, {"int8": trained.tflite["int8"]})))
    meta = json.loads(z.read(f"{lib.name}/{lib.name}.json"))
    assert meta["project"] == PROJECT and meta["impulse_name"] == IMPULSE_NAME
    assert meta["labels"] == LABELS and meta["input"]["axes"] == AXES
    assert meta["input"]["frequency_hz"] == 62.5 and meta["input"]["interval_ms"] == 16.0


def test_hostile_names_add_no_line_to_any_file(hostile, trained):
    """Same impulse with plain names: every file has the same number of lines, so no name broke a
    line of library.properties, a README table row, a comment or a string."""
    req, lib = hostile
    plain_req = LibraryRequest(
        "Plain",
        trained.impulse,
        trained.labels,
        trained.tflite["int8"],
        "int8",
        trained.anomaly,
        build=7,
        impulse_name="motion",
    )
    plain = generate_library(plain_req)

    def lines(z: bytes, root: str) -> dict[str, int]:
        files = zipfile.ZipFile(io.BytesIO(z))
        return {
            n.split("/", 1)[1].replace(root, "LIB"): files.read(n).count(b"\n")
            for n in files.namelist()
            if not n.endswith(".json")
        }

    hostile_lines = lines(arduino_zip(lib, req), lib.name) | lines(cpp_zip(lib, req), lib.name)
    plain_lines = lines(arduino_zip(plain, plain_req), plain.name) | lines(cpp_zip(plain, plain_req), plain.name)
    assert hostile_lines == plain_lines
    props = zipfile.ZipFile(io.BytesIO(arduino_zip(lib, req))).read(f"{lib.name}/library.properties").decode()
    values = dict(line.split("=", 1) for line in props.splitlines())
    assert values["name"] == lib.name == "evil_p_project_e_motion_i_u_inferencing"
    assert "\u202e" not in props and "evil\\ */" in values["sentence"]
