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
    install_requires=[
        "ciocore>=8.0,<10",
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
            "pytest>=7,<10",
            "pytest-qt>=4,<5",
            "hypothesis>=6,<7",
            "vermin>=1.5,<2",
            "ruff>=0.4",
            # Katana 5.0v5's real API as type stubs: the stand-in conformance
            # test and mypy on ciokatana/katana check against them.
            "types-katana==5.0.5.0",
            "mypy>=1.7",
        ],
    },
    entry_points={"console_scripts": ["ciokatana=ciokatana.standalone.entry:console_main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.7",
        "Programming Language :: Python :: 3.11",
        "Topic :: Multimedia :: Graphics :: 3D Rendering",
    ],
)
