"""The one thing pyproject.toml cannot say: the optional C kernel of the ranking
(index/search/_kernel.c). Optional: where no compiler is at hand the install goes on and
rank.py scores with numpy, the same rows and scores, slower."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "planbot.index.search._kernel", ["index/search/_kernel.c"],
    # no fused multiply-add: numpy rounds a*b+c twice, and the scores must agree to the bit
    extra_compile_args=["-O2", "-ffp-contract=off"],
    optional=True,
)])
