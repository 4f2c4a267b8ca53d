# SoundStream dashboard image (Streamlit, dashboard/app.py). Build from the repository root:
#
#   docker build -f deploy/dashboard.Dockerfile -t soundstream-dashboard .
#   docker run --rm -p 8501:8501 -e SOUNDSTREAM_API_URL=http://my-api:8000 soundstream-dashboard
#
# Settings (read by the dashboard on every run; see docs/deploy.md):
#   SOUNDSTREAM_API_URL   the API's base URL (default http://127.0.0.1:8000, i.e. this container:
#                         set it); compose.yaml sets http://api:8000
#   SOUNDSTREAM_API_KEY   optional, sent as `Authorization: Bearer <key>`
#
# The dashboard only reads the API through the SDK (sdk/python), installed here from the
# repository with its pandas extra, beside dashboard/requirements.txt.

# ---- build: the virtualenv -------------------------------------------------------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A virtualenv, copied whole into the runtime stage: the SDK's sources and the build backend
# (hatchling, fetched into pip's isolated build environment) stay behind in this stage.
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

COPY sdk/python /tmp/sdk
COPY dashboard/requirements.txt /tmp/dashboard-requirements.txt
RUN pip install "/tmp/sdk[pandas]" -r /tmp/dashboard-requirements.txt

# ---- run -------------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

RUN groupadd --gid 10001 dashboard \
    && useradd --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/dashboard \
        --shell /usr/sbin/nologin dashboard

COPY --from=builder /opt/venv /opt/venv
COPY dashboard /app/dashboard

# Streamlit settings as environment: no usage statistics sent anywhere, no browser to open,
# no file watcher (the code does not change in an image). STREAMLIT_BROWSER_SERVER_ADDRESS:
# without it, a headless Streamlit listening on 0.0.0.0 asks checkip.amazonaws.com for its
# public address at start (only to print it; offline that costs a timeout and a warning). Set
# it to the public host name the dashboard is reached at (e.g. on Render).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_BROWSER_SERVER_ADDRESS=localhost \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

# The dashboard's folder is the working directory, as in dashboard/scripts/serve: its pages
# (app_pages/...) and modules (lib/...) resolve from there, and so would a
# dashboard/.streamlit/config.toml.
WORKDIR /app/dashboard
USER 10001:10001

EXPOSE 8501

# Streamlit's own health endpoint: 200 once the server runs (it does not call the API).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
