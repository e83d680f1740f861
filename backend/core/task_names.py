"""Every Celery task name the API sends, declared once.

The API never imports `workers`: it sends tasks by these names, and the workers register their
tasks under the same constants, so a rename cannot leave one side behind. A test
(tests/backend/test_task_names.py) checks that the worker app registers every name listed here.
"""

from __future__ import annotations

# Jobs: a row in `jobs` whose `kind` is the task name; the task receives the job id.
SELFTEST = "diagnostics.selftest"
GENERATE_FEATURES = "impulse.generate_features"
FEATURE_EXPLORER = "impulse.feature_explorer"
TRAIN = "impulse.train"
TEST = "impulse.test"
BUILD_DEPLOYMENT = "deployment.build"
# One round of one tuner candidate: features, training, int8, test split, C cost estimate.
TUNER_CANDIDATE = "tuner.evaluate_candidate"

# Interactive request/reply calls over the event bus (backend/core/rpc.py).
PREVIEW = "impulse.preview"
CLASSIFY = "impulse.classify"
# The DSP's part of the on-device estimate while a network is edited (the network's part is pure
# arithmetic in the API: backend/blocks/network_cost.py).
ESTIMATE_DSP = "impulse.estimate_dsp"

JOB_TASKS = frozenset({SELFTEST, GENERATE_FEATURES, FEATURE_EXPLORER, TRAIN, TEST, BUILD_DEPLOYMENT, TUNER_CANDIDATE})
RPC_TASKS = frozenset({PREVIEW, CLASSIFY, ESTIMATE_DSP})
ALL_TASKS = JOB_TASKS | RPC_TASKS
