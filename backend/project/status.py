"""Where a project stands on the path collect -> impulse -> features -> train -> test -> deploy,
computed from its data (nothing stored), and the next thing to do."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.core import task_names
from backend.core.deps import ProjectContext
from backend.project import repository
from backend.project.schemas import ProjectStatus, StageStatus

# key, title, the page (under /projects/{id}/) where it is done, the button that takes you there.
STAGES = [
    ("collect", "Collect data", "data", "Collect data"),
    ("impulse", "Design an impulse", "impulse", "Design an impulse"),
    ("features", "Generate features", "features", "Generate features"),
    ("train", "Train a model", "training", "Train the model"),
    ("test", "Test the model", "testing", "Test the model"),
    ("deploy", "Deploy", "deployment", "Build a library"),
]
MIN_LABELS = 2


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def project_status(session: Session, ctx: ProjectContext) -> ProjectStatus:
    counts: dict[str, dict[str, int]] = {}
    for category, label, n in repository.samples_per_label(session, ctx.project.id):
        counts.setdefault(category, {})[label or "(unlabeled)"] = n
    training, testing = counts.get("training", {}), counts.get("testing", {})
    labels = [lbl for lbl in training if lbl != "(unlabeled)"]
    done: dict[str, bool] = {"collect": len(labels) >= MIN_LABELS and sum(testing.values()) > 0}
    detail = {
        "collect": f"{sum(training.values())} training, {sum(testing.values())} testing, {_plural(len(labels), 'label')}"
    }
    if not done["collect"]:
        detail["collect"] += f" (needs {MIN_LABELS}+ labels and testing data)"

    impulse = repository.newest_impulse(session, ctx.project.id)
    done["impulse"] = impulse is not None
    detail["impulse"] = f"{impulse.name}, version {impulse.version}" if impulse else "no impulse yet"
    features = impulse is not None and impulse.features_version == impulse.version
    trained = impulse is not None and impulse.trained_job_id is not None and impulse.trained_version == impulse.version
    done["features"], done["train"] = features, trained
    detail["features"] = "up to date" if features else ("out of date" if impulse and impulse.features_version else "")
    detail["train"] = "up to date" if trained else ("out of date" if impulse and impulse.trained_job_id else "")
    tested = deployed = False
    if trained:
        tested_id = repository.latest_succeeded_job_id(session, impulse.id, task_names.TEST)
        tested = tested_id is not None and tested_id > impulse.trained_job_id
        deployed = repository.has_built_deployment(session, impulse.id, impulse.trained_job_id)
    done["test"], done["deploy"] = tested, deployed
    detail["test"] = "tested with the testing data" if tested else ""
    detail["deploy"] = "a library is built" if deployed else ""

    stages, reached_next = [], False
    for key, title, page, action in STAGES:
        # A step counts only once every step before it holds: data deleted after training is "collect" again.
        ok = done[key] and not reached_next
        reached_next = reached_next or not ok
        stages.append(StageStatus(key=key, title=title, done=ok, detail=detail[key], page=page, action=action))
    following = next((s for s in stages if not s.done), None)
    return ProjectStatus(stages=stages, next=following, samples=counts)
