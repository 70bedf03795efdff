"""`make lab`: JupyterLab serves the project kernel and opens the text notebooks as notebooks."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from vndigital.paths import REPO

pytestmark = pytest.mark.slow
TOKEN = "vndigital-test-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {TOKEN}"}
    )
    # A local server: never through a configured proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={TOKEN}",
         "--notebook-dir=notebooks", "--ServerApp.open_browser=False", "--allow-root"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, "/api/status")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_project_kernel_is_installed(lab):
    assert "vndigital" in get(lab, "/api/kernelspecs")["kernelspecs"]


def test_text_notebooks_open_as_notebooks_with_their_parameters_tag(lab):
    model = get(lab, "/api/contents/10_province_profile.py?type=notebook&content=1")
    assert model["type"] == "notebook"
    assert model["content"]["metadata"]["kernelspec"]["name"] == "vndigital"
    tags = [c["metadata"].get("tags", []) for c in model["content"]["cells"]]
    assert sum("parameters" in t for t in tags) == 1


def test_python_files_open_with_the_notebook_viewer_by_default(lab):
    settings = get(lab, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # The project-wide override becomes the setting's default (a user may still change it).
    viewers = (
        settings["settings"].get("defaultViewers")
        or settings["schema"]["properties"]["defaultViewers"]["default"]
    )
    assert viewers["python"] == "Jupytext Notebook"
