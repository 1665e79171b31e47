# One image for the api, worker, beat and migrate services; the command differs per service.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# The locked dependencies first (a layer that changes only with the lock), then the project.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY config config
COPY domain domain
COPY schemas schemas
COPY store store
COPY taskqueue taskqueue
COPY notify notify
COPY netrules netrules
COPY telemetry telemetry
COPY service service
COPY workers workers
COPY usecases usecases
COPY reactions_cli reactions_cli
RUN pip install --no-cache-dir --no-deps . && useradd --create-home reactions
USER reactions
EXPOSE 8000
CMD ["reactions", "api"]
