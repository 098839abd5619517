"""The embedding API's trust flags: a scenario naming a plugin (native code)
raises ScenarioError unless allow_plugins=True, and the object is not opened
without it; sandbox_paths=True refuses absolute data paths and "..", also for
a dict scenario."""
import json
import os
import shutil
import subprocess

import pytest

import edgesim
from conftest import ROOT

PLUGIN_DIR = os.path.join(ROOT, "examples", "policy-plugin")

MARKER = r'''
#include <stdio.h>
#include "edge_policy_plugin.h"
__attribute__((constructor)) static void mark(void)
{ const char *p = getenv("EDGESIM_TEST_MARK"); FILE *f = p ? fopen(p, "w") : NULL; if (f) fclose(f); }
static long pick(void *s, const edge_policy_request *r) { (void)s; (void)r; return 0; }
static void *mk(const char *p, size_t f, size_t n, char *e, size_t el)
{ (void)p; (void)f; (void)n; (void)e; (void)el; return (void *)1; }
static void rm(void *s) { (void)s; }
const edge_policy_plugin edge_policy_plugin_v1 = {EDGE_POLICY_ABI_VERSION, "marker", mk, rm, pick, 0, 0};
'''


@pytest.fixture
def plugin_scenario(tmp_path, monkeypatch):
    if shutil.which("cc") is None:
        pytest.fail("cc missing: the plugin tests build a plugin")
    src = tmp_path / "marker.c"
    src.write_text("#include <stdlib.h>\n" + MARKER)
    subprocess.run(["cc", "-fPIC", "-shared", "-I", os.path.join(ROOT, "core"), str(src),
                    "-o", str(tmp_path / "policy.so")], check=True)
    shutil.copy(os.path.join(PLUGIN_DIR, "scenario.json"), tmp_path / "scenario.json")
    monkeypatch.setenv("EDGESIM_TEST_MARK", str(tmp_path / "loaded"))
    return tmp_path


def test_a_plugin_is_refused_without_allow_plugins(plugin_scenario):
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.run(str(plugin_scenario / "scenario.json"), set={"duration": "5s"})
    assert e.value.path == "policies.scheduler.plugin"
    assert "pass EDGESIM_ALLOW_PLUGINS (Python: allow_plugins=True) to load 'policy.so'" \
        in e.value.message
    assert not (plugin_scenario / "loaded").exists()


def test_a_plugin_runs_with_allow_plugins(plugin_scenario):
    r = edgesim.run(str(plugin_scenario / "scenario.json"), set={"duration": "5s"},
                    allow_plugins=True)
    assert r.summary["scheduler"] == "plugin:marker"
    assert (plugin_scenario / "loaded").exists()


def test_a_routing_env_takes_the_same_trust_and_limits(plugin_scenario):
    # RoutingEnv had no allow_plugins: a scenario naming a plugin could not be
    # an environment at all, while the refusal told to pass allow_plugins=True
    sc = str(plugin_scenario / "scenario.json")
    with pytest.raises(edgesim.ScenarioError, match="allow_plugins=True"):
        edgesim.RoutingEnv(sc, set={"duration": "5s"})
    assert not (plugin_scenario / "loaded").exists()
    env = edgesim.RoutingEnv(sc, set={"duration": "5s"}, allow_plugins=True)
    obs, info = env.reset(seed=1)
    assert info["candidates"]
    env.close()
    assert (plugin_scenario / "loaded").exists()
    with pytest.raises(edgesim.ScenarioError, match="max_events"):
        edgesim.RoutingEnv(sc, set={"duration": "5s"}, allow_plugins=True, max_events=1)


def test_sandbox_paths_refuses_absolute_and_dotdot(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("1s\n2s\n")
    scen = {"duration": "10s", "regions": [{"id": "r"}], "nodes": [{"id": "a", "region": "r"}],
            "functions": [{"id": "f", "exec_time": {"type": "constant", "value": "1ms"}}],
            "deployments": [{"function": "f", "strategy": "all"}],
            "workloads": [{"function": "f", "region": "r", "arrival": "csv", "file": str(csv)}]}
    assert edgesim.run(scen).summary["totals"]["arrivals"] == 2
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.run(scen, sandbox_paths=True)
    assert e.value.path == "workloads[0].file"
    assert "--sandbox-paths" in e.value.message
    (tmp_path / "s.json").write_text(json.dumps(dict(scen, workloads=[
        dict(scen["workloads"][0], file="../" + tmp_path.name + "/t.csv")])))
    assert edgesim.run(str(tmp_path / "s.json")).summary["totals"]["arrivals"] == 2
    with pytest.raises(edgesim.ScenarioError):
        edgesim.run(str(tmp_path / "s.json"), sandbox_paths=True)


def test_the_limits_apply_and_can_be_raised_or_lifted():
    """A bomb (a sample every nanosecond for a day) is refused before
    anything is built, naming the field and how to raise the limit here;
    0 lifts a limit; a bad value is a ValueError."""
    quick = os.path.join(ROOT, "scenarios", "quickstart.json")
    bomb = {"sample_interval": "1ns", "duration": "1d"}
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.Simulation(quick, set=bomb)
    assert e.value.message.startswith(quick + ": sample_interval: this run would run samples")
    assert "pass edgesim_limits.max_events (Python: max_events=)" in e.value.message
    with pytest.raises(edgesim.ScenarioError) as e:  # the next limit it passes
        edgesim.Simulation(quick, set=bomb, max_events=0)
    assert "Python: max_output=" in e.value.message
    sim = edgesim.Simulation(quick, set=bomb, max_events=0, max_output=0)  # opened, not run
    assert sim.now == 0
    with pytest.raises(edgesim.ScenarioError) as e:
        edgesim.run(quick, set={"duration": "5s"}, max_memory=1 << 20)
    assert "max_memory=" in e.value.message
    r = edgesim.run(quick, set={"duration": "5s"}, max_events=10**7)
    assert r.summary["totals"]["arrivals"] > 0
    with pytest.raises(ValueError):
        edgesim.run(quick, max_events=-1)
    with pytest.raises(ValueError):
        edgesim.run(quick, max_output="4G")
