# One image for the API, the workers and the one-shot migration.
FROM node:20-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/ ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TINYFORGE_ENV=production DATA_DIR=/data FRONTEND_DIST=/app/frontend/dist
# gcc is used by the deployment job to check generated libraries before shipping them.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 tinyforge && mkdir -p /data && chown tinyforge /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend/ backend/
COPY workers/ workers/
COPY migrations/ migrations/
RUN pip install -e '.[ml]'
COPY --from=ui /src/frontend/dist /app/frontend/dist
USER tinyforge
EXPOSE 8000
CMD ["tinyforge", "api", "--host", "0.0.0.0", "--port", "8000"]
