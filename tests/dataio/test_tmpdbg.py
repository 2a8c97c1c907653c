import sys, tracemalloc
from tests.dataio.test_import_scale import _file

def test_dbg(app, make, upload):
    tracemalloc.start(40)
    import gc
    seen = []
    old = sys.unraisablehook
    def hook(u):
        tb = tracemalloc.get_object_traceback(u.object)
        seen.append("\n".join(tb.format()[-40:]) if tb else repr(u.object))
    sys.unraisablehook = hook
    try:
        r = upload("staff", _file(12000))
        gc.collect()
    finally:
        sys.unraisablehook = old
        tracemalloc.stop()
    print("\n\n".join(seen))
    assert not seen
