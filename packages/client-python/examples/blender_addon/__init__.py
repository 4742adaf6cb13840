# An example Blender add-on licensed with Seatkey. Its preferences (Edit > Preferences >
# Add-ons > Seatkey Example) hold a licence-key field and an Activate button; its one feature,
# View3D > Object > "Seatkey Example: Hello", works only while the licence is valid.
#
# To ship it: copy packages/client-python/seatkey into this folder (it is standard library
# only), write the server's public keys next to this file with
#   python3 -m seatkey keys --base-url <your functions URL> -o seatkey_keys.json
# and set BASE_URL and PRODUCT_ID below. Blender's bundled Python then needs nothing else.
#
# No `from __future__ import annotations` here: Blender reads the property annotations of
# registered classes at run time.
import json
import os

import bpy
from bpy.props import StringProperty

try:
    from .seatkey import NotActivatedError, SeatkeyClient, SeatkeyError, mask_license_key  # vendored beside this file
except ImportError:
    from seatkey import NotActivatedError, SeatkeyClient, SeatkeyError, mask_license_key  # installed, or this repository's tests

bl_info = {
    "name": "Seatkey Example",
    "author": "CG Lounge",
    "version": (1, 0, 0),
    "blender": (3, 0, 0),
    "location": "Edit > Preferences > Add-ons; View3D > Object menu",
    "description": "Shows how an add-on activates and validates its licence with Seatkey",
    "category": "Object",
}

BASE_URL = "https://us-central1-your-project.cloudfunctions.net"
PRODUCT_ID = "my-blender-addon"
KEYS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seatkey_keys.json")
#: None: the default cache file in the user's config folder (tests put a MemoryStorage here).
STORAGE = None

_client = None
# Written by the heartbeat thread, read by the UI: a plain assignment, no bpy call off the main thread.
_state = {"result": None, "refused": None}


def client():
    global _client
    if _client is None:
        keys = None
        if os.path.exists(KEYS_FILE):
            with open(KEYS_FILE, encoding="utf-8") as f:
                keys = json.load(f)
        _client = SeatkeyClient(BASE_URL, PRODUCT_ID, public_keys=keys, storage=STORAGE)
    return _client


def online_allowed():
    # Blender 4.2+ asks add-ons to stay offline unless the user allows online access.
    return getattr(bpy.app, "online_access", True)


def check_licence():
    """Validates (offline first) and remembers the answer for the UI; floating seats get heartbeats."""
    result = client().validate(online=None if online_allowed() else False)
    _state["result"] = result
    if result and result.license.license_type == "floating" and online_allowed():
        client().start_heartbeats(on_stopped=lambda error: _state.update(refused=error))
    return result


def is_licensed():
    return bool(_state["result"]) and _state["refused"] is None


def _startup_check():
    check_licence()
    return None  # a bpy.app.timers callback: None means "do not run again"


def _preferences(context):
    return context.preferences.addons[__name__].preferences


class SEATKEY_EXAMPLE_OT_activate(bpy.types.Operator):
    """Activate this computer with the licence key"""

    bl_idname = "seatkey_example.activate"
    bl_label = "Activate"

    def execute(self, context):
        prefs = _preferences(context)
        if not online_allowed():
            self.report({"ERROR"}, "Activation needs the network: allow online access in Preferences > System")
            return {"CANCELLED"}
        key = prefs.license_key.strip()
        if not key:
            self.report({"ERROR"}, "Enter your licence key first")
            return {"CANCELLED"}
        try:
            activation = client().activate(key)
        except SeatkeyError as e:
            self.report({"ERROR"}, e.message)
            return {"CANCELLED"}
        # The key now lives in the 0600 cache, not in Blender's preferences file.
        prefs.license_key = ""
        _state["refused"] = None
        check_licence()
        self.report({"INFO"}, f"{activation.message}: {mask_license_key(activation.license.license_key)}")
        return {"FINISHED"}


class SEATKEY_EXAMPLE_OT_deactivate(bpy.types.Operator):
    """Free this computer's seat so the licence can be used on another one"""

    bl_idname = "seatkey_example.deactivate"
    bl_label = "Deactivate"

    def execute(self, context):
        try:
            client().deactivate()
        except SeatkeyError as e:
            self.report({"ERROR"}, e.message)
            return {"CANCELLED"}
        _state["result"] = None
        self.report({"INFO"}, "Deactivated")
        return {"FINISHED"}


class SEATKEY_EXAMPLE_OT_hello(bpy.types.Operator):
    """The add-on's feature, available while licensed"""

    bl_idname = "seatkey_example.hello"
    bl_label = "Seatkey Example: Hello"

    @classmethod
    def poll(cls, context):
        return is_licensed()

    def execute(self, context):
        self.report({"INFO"}, "Hello from a licensed add-on")
        return {"FINISHED"}


class SeatkeyExamplePreferences(bpy.types.AddonPreferences):
    bl_idname = __name__

    license_key: StringProperty(
        name="Licence key",
        description="The key from your purchase email, e.g. ACME-XXXX-XXXX-XXXX-XX",
        default="",
    )

    def draw(self, context):
        layout = self.layout
        result = _state["result"]
        if _state["refused"] is not None:
            layout.label(text=f"Licence refused: {_state['refused'].message}", icon="ERROR")
        elif result:
            lic = result.license
            until = f"until {lic.expires_at:%Y-%m-%d}" if lic.expires_at else "perpetual"
            offline = f" (offline until {result.grace_ends_at:%Y-%m-%d})" if result.source == "grace" else ""
            layout.label(text=f"Licensed: {mask_license_key(lic.license_key)}, {until}{offline}", icon="CHECKMARK")
            layout.operator(SEATKEY_EXAMPLE_OT_deactivate.bl_idname)
            return
        elif result is not None and not isinstance(result.error, NotActivatedError):
            layout.label(text=f"Not licensed: {result.error.message}", icon="ERROR")
        else:
            layout.label(text="Not activated on this computer", icon="INFO")
        row = layout.row()
        row.prop(self, "license_key")
        row.operator(SEATKEY_EXAMPLE_OT_activate.bl_idname, text="Activate")


def _menu(self, context):
    self.layout.operator(SEATKEY_EXAMPLE_OT_hello.bl_idname)


CLASSES = (SEATKEY_EXAMPLE_OT_activate, SEATKEY_EXAMPLE_OT_deactivate, SEATKEY_EXAMPLE_OT_hello, SeatkeyExamplePreferences)


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.VIEW3D_MT_object.append(_menu)
    # Validate once Blender has started, off the add-on's import: usually offline, from the cache.
    bpy.app.timers.register(_startup_check, first_interval=1.0)


def unregister():
    if bpy.app.timers.is_registered(_startup_check):
        bpy.app.timers.unregister(_startup_check)
    if _client is not None:
        _client.stop()
    bpy.types.VIEW3D_MT_object.remove(_menu)
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
