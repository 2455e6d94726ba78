"""Builds an SOL-ExecBench C++ solution (spec.binding torch: cuda_cpp, cutlass, cudnn, cublas)
into a Python extension module with torch.utils.cpp_extension.

Run by the trusted parent (harness/src/workers/torch_extension.cc), under the sandbox's build
profile where the host has one, as
    python3 -I referee_build_ext.py CONFIG_JSON
CONFIG_JSON: {name, sources, build_dir, output, include_dirs, cflags, cuda_cflags, ldflags,
with_cuda}. The module is compiled and linked with torch's extension flags (TORCH_EXTENSION_NAME
= name) by ninja in build_dir, and copied to output; it is never imported here (the candidate's
code runs in its worker only). What the host lacks (a CUDA torch, nvcc, ninja) is one line
`referee-build-ext: ...` on stderr, exit 3; a compile error is the compiler's output, exit 1.
"""
import inspect
import json
import os
import shutil
import sys


def fail(message, code=3):
    sys.stderr.write("referee-build-ext: %s\n" % message)
    sys.stderr.flush()
    sys.exit(code)


def missing_toolchain(cfg, torch, ext):
    """Why this host cannot build the module, or None."""
    if cfg.get("with_cuda"):
        if torch.version.cuda is None:
            return "this torch (%s) has no CUDA: a C++ solution needs a CUDA build of torch" % (
                torch.__version__)
        home = ext.CUDA_HOME
        if not home or not os.path.isfile(os.path.join(home, "bin", "nvcc")):
            return "no nvcc (CUDA_HOME=%s): torch.utils.cpp_extension needs the CUDA toolkit" % home
    if not ext.is_ninja_available():
        return "no ninja on PATH (%s): torch.utils.cpp_extension needs it" % os.environ.get(
            "PATH", "")
    return None


def build_library(ext, cfg):
    """torch's own build (ninja file, compile, link) without importing the result. The private
    function's parameters differ across torch versions: only those it takes are passed."""
    build = getattr(ext, "_write_ninja_file_and_build_library", None)
    if build is None:
        fail("this torch has no torch.utils.cpp_extension._write_ninja_file_and_build_library")
    args = {"name": cfg["name"], "sources": cfg["sources"], "extra_cflags": cfg["cflags"],
            "extra_cuda_cflags": cfg["cuda_cflags"], "extra_ldflags": cfg["ldflags"],
            "extra_include_paths": cfg["include_dirs"], "build_directory": cfg["build_dir"],
            "verbose": False, "with_cuda": bool(cfg.get("with_cuda")), "is_standalone": False}
    params = inspect.signature(build).parameters
    call = {k: v for k, v in args.items() if k in params}
    for k, p in params.items():  # parameters of later versions (e.g. extra_sycl_cflags)
        if k not in call and p.default is inspect.Parameter.empty:
            call[k] = False if k.startswith("with_") else []
    build(**call)


def main():
    cfg = json.loads(sys.argv[1])
    try:
        import torch
        import torch.utils.cpp_extension as ext
    except Exception as e:  # noqa: BLE001 - the interpreter cannot build anything
        fail("cannot import torch.utils.cpp_extension: %s: %s" % (type(e).__name__, e))
    why = missing_toolchain(cfg, torch, ext)
    if why:
        fail(why)
    os.makedirs(cfg["build_dir"], exist_ok=True)
    try:
        build_library(ext, cfg)
    except Exception as e:  # noqa: BLE001 - the compiler's output is in the message
        sys.stderr.write("%s\n" % e)
        sys.exit(1)
    built = os.path.join(cfg["build_dir"], cfg["name"] + ".so")
    if not os.path.isfile(built):
        fail("the build produced no %s" % built, 1)
    shutil.copyfile(built, cfg["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
