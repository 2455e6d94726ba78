import builtins
import sys
import types

# ruleid: harness-tampering-builtins-patch
builtins.print = lambda *a, **k: None
# ruleid: harness-tampering-builtins-patch
sys.stdout = open("/dev/null", "w")
# ruleid: harness-tampering-builtins-patch
sys.modules["timing"] = types.ModuleType("timing")
# ruleid: harness-tampering-builtins-patch
sys.settrace(lambda *a: None)


def run(x):
    # ruleid: harness-tampering-builtins-patch
    for name, mod in list(sys.modules.items()):
        if hasattr(mod, "calculate_stats"):
            setattr(mod, "calculate_stats", lambda *a: 0.0)
    return x


# ok: harness-tampering-builtins-patch
sys.path.insert(0, ".")
# ok: harness-tampering-builtins-patch
print("hello", file=sys.stderr)
# ok: harness-tampering-builtins-patch
mod = sys.modules.get("torch")
