"""Edge Impulse compatibility: the Studio API routes that Edge Impulse's device clients call with
an API key (`/v1/api/...`, in Edge Impulse's response shapes), remote management at `/`, and the
extra listeners on Edge Impulse's ports (4800 Studio API, 4810 ingestion, 4802 remote management)
that its CLI expects when pointed at a server with `EI_HOST`."""
