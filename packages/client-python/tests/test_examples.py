"""The examples the README shows: the Blender add-on, run without Blender against a stand-in
``bpy`` (just the parts the add-on touches, recording what it does), and the plain script, run
as a process; both against the fake Seatkey."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import types

import pytest

from conftest import PRODUCT
from seatkey import MemoryStorage

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")


# ---- a stand-in for bpy ----


class Property:
    def __init__(self, **options):
        self.options = options


class Layout:
    """Records what draw() puts on screen."""

    def __init__(self, items):
        self.items = items

    def label(self, text="", icon="NONE"):
        self.items.append(("label", text, icon))

    def prop(self, data, name, **kw):
        self.items.append(("prop", name))

    def operator(self, idname, text=None, **kw):
        self.items.append(("operator", idname, text))

    def row(self, **kw):
        return self


def fake_bpy():
    bpy = types.ModuleType("bpy")
    registered = []

    class Operator:
        def __init__(self):
            self.reports = []

        def report(self, kind, message):
            self.reports.append((next(iter(kind)), message))

    class AddonPreferences:
        def __init__(self):
            self.layout = Layout([])

    def register_class(cls):
        # Blender turns annotated properties into attributes holding their defaults.
        for name, prop in getattr(cls, "__annotations__", {}).items():
            assert isinstance(prop, Property), f"{cls.__name__}.{name} must be a bpy.props property, not {prop!r}"
            setattr(cls, name, prop.options.get("default"))
        registered.append(cls)

    class Menu:
        def __init__(self):
            self.drawers = []

        def append(self, f):
            self.drawers.append(f)

        def remove(self, f):
            self.drawers.remove(f)

    timers = {}
    bpy.types = types.SimpleNamespace(Operator=Operator, AddonPreferences=AddonPreferences, VIEW3D_MT_object=Menu())
    bpy.props = types.SimpleNamespace(StringProperty=lambda **options: Property(**options))
    bpy.utils = types.SimpleNamespace(register_class=register_class, unregister_class=registered.remove, registered=registered)
    bpy.app = types.SimpleNamespace(
        online_access=True,
        timers=types.SimpleNamespace(
            register=lambda f, first_interval=0: timers.__setitem__(f, first_interval),
            unregister=lambda f: timers.pop(f),
            is_registered=lambda f: f in timers,
            pending=timers,
        ),
    )
    sys.modules["bpy"] = bpy
    sys.modules["bpy.props"] = bpy.props
    return bpy


@pytest.fixture
def addon(make, monkeypatch, tmp_path):
    bpy = fake_bpy()
    monkeypatch.setitem(sys.modules, "bpy", bpy)
    spec = importlib.util.spec_from_file_location("seatkey_example_addon", os.path.join(EXAMPLES, "blender_addon", "__init__.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    f = make()  # its fake stands in for the creator's server
    module.BASE_URL, module.PRODUCT_ID, module.STORAGE = f.fake.base_url, PRODUCT, f.storage
    # The keys bundled beside the add-on, as `python -m seatkey keys` writes them.
    module.KEYS_FILE = str(tmp_path / "seatkey_keys.json")
    (tmp_path / "seatkey_keys.json").write_text(json.dumps(f.fake.jwks))
    module.register()
    prefs = module.SeatkeyExamplePreferences()
    context = types.SimpleNamespace(preferences=types.SimpleNamespace(addons={module.__name__: types.SimpleNamespace(preferences=prefs)}))
    yield types.SimpleNamespace(module=module, bpy=bpy, prefs=prefs, context=context, f=f)
    module.unregister()


def run_operator(cls, context):
    op = cls()
    return op.execute(context), op.reports


def drawn(addon):
    addon.prefs.layout = Layout([])
    addon.prefs.draw(addon.context)
    return addon.prefs.layout.items


class TestBlenderAddon:
    def test_declares_itself_as_blender_expects(self, addon):
        info = addon.module.bl_info
        assert {"name", "blender", "version", "category"} <= set(info)
        assert isinstance(info["blender"], tuple) and isinstance(info["version"], tuple)
        assert addon.module.SeatkeyExamplePreferences.bl_idname == addon.module.__name__
        assert set(addon.bpy.utils.registered) == set(addon.module.CLASSES)
        assert addon.bpy.app.timers.pending, "a validation is scheduled after start-up"

    def test_preferences_show_a_named_key_field_and_an_activate_button(self, addon):
        assert addon.module.SeatkeyExamplePreferences.__annotations__["license_key"].options["name"] == "Licence key"
        items = drawn(addon)
        assert ("prop", "license_key") in items
        assert ("operator", "seatkey_example.activate", "Activate") in items
        assert ("label", "Not activated on this computer", "INFO") in items

    def test_activate_button_activates_with_the_typed_key(self, addon):
        lic = addon.f.license
        addon.prefs.license_key = f"  {lic.key}  "
        status, reports = run_operator(addon.module.SEATKEY_EXAMPLE_OT_activate, addon.context)
        assert status == {"FINISHED"}
        assert reports == [("INFO", f"Activated: {lic.key.split('-')[0]}-****-****-****-{lic.key.split('-')[-1]}")]
        assert len(lic.activations) == 1
        assert addon.prefs.license_key == "", "the key is not kept in Blender's preferences"
        assert addon.module.SEATKEY_EXAMPLE_OT_hello.poll(addon.context), "the feature is available"
        items = drawn(addon)
        assert any(kind == "label" and text.startswith("Licensed:") for kind, text, *_ in items)
        assert ("operator", "seatkey_example.deactivate", None) in items

    def test_a_refused_key_is_reported_and_nothing_is_licensed(self, addon):
        addon.prefs.license_key = "NOPE-0000-0000-0000-00"
        status, reports = run_operator(addon.module.SEATKEY_EXAMPLE_OT_activate, addon.context)
        assert status == {"CANCELLED"}
        assert reports == [("ERROR", "Licence not found")]
        assert not addon.module.SEATKEY_EXAMPLE_OT_hello.poll(addon.context)

    def test_stays_offline_when_blender_forbids_online_access(self, addon):
        addon.bpy.app.online_access = False
        addon.prefs.license_key = addon.f.license.key
        status, reports = run_operator(addon.module.SEATKEY_EXAMPLE_OT_activate, addon.context)
        assert status == {"CANCELLED"} and reports[0][0] == "ERROR"
        assert addon.f.fake.calls == {}, "no request"

    def test_the_startup_check_validates_offline_first(self, addon):
        addon.module.client().activate(addon.f.license.key)  # activated in an earlier session
        addon.module._client = None  # Blender restarted
        addon.f.fake.offline = True
        startup = next(iter(addon.bpy.app.timers.pending))
        assert startup() is None, "runs once"
        assert addon.module.is_licensed()
        assert addon.module._state["result"].source == "cached"

    def test_deactivate_frees_the_seat(self, addon):
        addon.prefs.license_key = addon.f.license.key
        run_operator(addon.module.SEATKEY_EXAMPLE_OT_activate, addon.context)
        status, _ = run_operator(addon.module.SEATKEY_EXAMPLE_OT_deactivate, addon.context)
        assert status == {"FINISHED"}
        assert addon.f.license.activations == {}
        assert not addon.module.is_licensed()


class TestScript:
    def run(self, f, tmp_path, *args):
        env = {**os.environ, "SEATKEY_BASE_URL": f.fake.base_url, "SEATKEY_PRODUCT_ID": PRODUCT, "SEATKEY_STORAGE": str(tmp_path / "cache.json"), "SEATKEY_KEYS": str(tmp_path / "keys.json")}
        env.pop("SEATKEY_LICENSE_KEY", None)
        return subprocess.run([sys.executable, os.path.join(EXAMPLES, "licensed_tool.py"), *args], env=env, capture_output=True, text=True, timeout=60)

    def test_activates_on_the_first_run_then_validates_offline(self, make, tmp_path):
        f = make(storage=MemoryStorage())
        (tmp_path / "keys.json").write_text(json.dumps(f.fake.jwks))
        missing = self.run(f, tmp_path)
        assert missing.returncode == 1 and "not activated" in missing.stderr
        first = self.run(f, tmp_path, f.license.key)
        assert first.returncode == 0, first.stderr
        assert first.stdout.splitlines()[:2] == ["Activated", "Licensed: demo-app, per-machine, perpetual (cached)"]
        f.fake.offline = True
        later = self.run(f, tmp_path)
        assert later.returncode == 0, later.stderr
        assert "Licensed: demo-app, per-machine, perpetual (cached)" in later.stdout
        assert f.fake.calls.get("activate") == 1 and "publicKey" not in f.fake.calls

    def test_reports_a_full_licence(self, make, tmp_path):
        f = make(license={"max_machines": 0})
        result = self.run(f, tmp_path, f.license.key)
        assert result.returncode == 1
        assert "Machine limit reached (0)" in result.stderr
