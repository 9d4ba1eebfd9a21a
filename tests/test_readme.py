"""The README's usage examples run as written."""
import os
import re
import shlex
import shutil
import subprocess
import sys

from tests.conftest import REPO, shared_dir


def readme_blocks(lang):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def test_readme_console_examples_run(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shared = shared_dir()
    commands = [line[2:] for block in readme_blocks("console") for line in block.splitlines()
                if line.startswith("$ ")]
    assert len(commands) >= 7
    for cmd in commands:
        if cmd.startswith("gwrkit serve"):
            _serve_briefly(cmd, tmp_path)
            continue
        if "../shared" in cmd:
            if shared is None:
                continue
            cmd = cmd.replace("../shared", str(shared))
        argv = shlex.split(cmd)
        assert argv[0] == "gwrkit"
        res = subprocess.run([sys.executable, "-m", "gwrkit", *argv[1:]], cwd=tmp_path,
                             capture_output=True, text=True)
        assert res.returncode == 0, f"{cmd}\n{res.stderr[-500:]}"
        if "--output" in argv:                 # a file export: the file is written, not stdout
            written = tmp_path / argv[argv.index("--output") + 1]
            assert written.is_file() and written.stat().st_size > 0, cmd
        else:
            assert res.stdout.strip(), cmd


def _serve_briefly(cmd: str, cwd) -> None:
    """Run the README's `gwrkit serve` on a free port until it answers, then stop it."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = shlex.split(re.sub(r"--port \d+", f"--port {port}", cmd))
    proc = subprocess.Popen([sys.executable, "-m", "gwrkit", *argv[1:]], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/reports?limit=1", timeout=2) as res:
                    assert res.status == 200 and b'"total"' in res.read()
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-500:]
                time.sleep(0.1)
        else:
            raise AssertionError(f"{cmd}: the server never answered")
    finally:
        proc.terminate()
        proc.wait(10)


def test_readme_python_example_runs(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    code, = readme_blocks("python")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ})
    assert res.returncode == 0, res.stderr[-800:]
    assert "新郑市 2024 [('gdp', 7.0)" in res.stdout
