"""The processing blocks in portable C99 (tf_dsp.h/.c) and the generator of their configuration."""

from workers.codegen.dsp_c.render import (
    DspCodegenError,
    DspPlan,
    plan_dsp,
    render_dsp_config,
    render_dsp_header,
    static_sources,
)

__all__ = ["DspCodegenError", "DspPlan", "plan_dsp", "render_dsp_config", "render_dsp_header", "static_sources"]
