# The worker image for docker-compose.yml: the same package and pinned dependencies as scripts/setup.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY config ./config
COPY samples ./samples
RUN pip install --no-cache-dir .
ENV STREAMS_CONFIG_DIR=/app/config \
    STREAMS_WORKER_WEB_HOST=0.0.0.0 \
    STREAMS_WORKER_DATA_DIR=/data
VOLUME /data
EXPOSE 6066
# /health: 200 once the worker is assigned, recovered and has its model (docker-compose.yml has the same check)
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:6066/health', timeout=3); sys.exit(0)"]
ENTRYPOINT ["streams"]
CMD ["worker"]
