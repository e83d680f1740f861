"""Running an impulse on a project's data: windows -> features (in chunks), feature explorer,
training, testing and one-off classification. Pure numpy/scipy here; the tasks in
workers/tasks do the database work and hand samples in through small callables."""
