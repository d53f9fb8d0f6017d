"""Packaging for ciokatana. ``pip install .`` gives the ``ciokatana`` command.

The Qt bindings are extras because Katana brings its own (PyQt5 up to 7.5,
PySide6 from 8.0); install one only to run the dialog outside Katana.
"""

import os

from setuptools import find_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as handle:
        return handle.read()


def version():
    for line in read("ciokatana/__init__.py").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip('"')
    raise RuntimeError("no __version__")


setup(
    name="ciokatana",
    version=version(),
    description="Submit Foundry Katana Render nodes to the Conductor cloud render farm.",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.7",
    packages=find_packages(include=["ciokatana", "ciokatana.*"]) + ["ciokatana.examples", "ciokatana.scripts"],
    package_dir={"ciokatana.examples": "examples", "ciokatana.scripts": "scripts"},
    package_data={
        "ciokatana.examples": ["*.json", "*.katana"],
        "ciokatana.scripts": ["*.json"],
        "ciokatana.katana": [
            "resources/SuperTools/ConductorRender/*.py",
            "resources/Shelves/Conductor/*.py",
            "resources/Plugins/*.py",
        ],
        "ciokatana.core.schemas": ["*.schema.json"],
    },
    py_modules=[],
    include_package_data=False,
    # Dependency ranges per Python. Katana 4.x/5.x run Python 3.7, 6.x 3.9,
    # 7.x 3.10 and 8.x 3.11. A range that one Python cannot satisfy gets an
    # environment marker, so pip never has to discover that by backtracking
    # (ciocore declares no python_requires: on 3.7 pip used to try every
    # ciocore 9.x and 8.x release for minutes before giving up).
    # docs/ciocore.md lists what ciokatana uses of each ciocore it allows.
    install_requires=[
        # ciocore 8.0+ requires markdown>=3.5.2 (Python 3.8+) and 9.x pins
        # pyjwt==2.9.0 (Python 3.8+): 7.0.2 is the newest ciocore that
        # installs on 3.7. ciokatana.core.ciocompat covers what 7.0.2 lacks.
        "ciocore>=7.0.2,<8; python_version<'3.8'",
        # Katana 6, 7 and 8: the current ciocore (9.x); 8.x is allowed for
        # studios that pin it (tested by scripts/test.sh on one Python).
        "ciocore>=8.0,<10; python_version>='3.8'",
        # cioseq, ciopath, json-stream and qtpy have one range for every
        # supported Python (each has releases for 3.7 through 3.11+).
        "cioseq>=0.5.2,<1",
        "ciopath>=1.1,<2",
        "json-stream>=2.3,<3",
        "qtpy>=2.0,<3",
    ],
    extras_require={
        "pyside2": ["PySide2>=5.13,<5.16"],
        "pyqt5": ["PyQt5>=5.15,<5.16"],
        # PySide6 6.12.0 on Python < 3.12 drops references to None on every
        # call of a Qt method returning nothing (long sessions abort).
        "pyside6": [
            "PySide6-Essentials>=6.4,<6.12; python_version<'3.12'",
            "PySide6-Essentials>=6.4,<7; python_version>='3.12'",
        ],
        "test": [
            # pytest 8 needs Python 3.8.
            "pytest>=7,<8; python_version<'3.8'",
            "pytest>=7,<10; python_version>='3.8'",
            # pytest-qt 4.3 needs Python 3.8 (and drops PySide2: scripts/test.sh
            # asks for <4.3 in the PySide2 venv).
            "pytest-qt>=4,<4.3; python_version<'3.8'",
            "pytest-qt>=4,<5; python_version>='3.8'",
            # hypothesis 6.80 needs Python 3.8.
            "hypothesis>=6,<6.80; python_version<'3.8'",
            "hypothesis>=6,<7; python_version>='3.8'",
            # vermin and ruff run anywhere; the checks run once, on 3.11.
            "vermin>=1.5,<2",
            "ruff>=0.4,<1",
            # Katana 5.0v5's real API as type stubs (any Python): the stand-in
            # conformance test and mypy on ciokatana/katana check against them.
            # mypy runs once, on 3.11 (scripts/test.sh), so older Pythons skip it.
            "types-katana==5.0.5.0",
            "mypy>=1.7,<3; python_version>='3.11'",
        ],
    },
    entry_points={"console_scripts": ["ciokatana=ciokatana.standalone.entry:console_main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.7",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Topic :: Multimedia :: Graphics :: 3D Rendering",
    ],
)
