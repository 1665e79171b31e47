# One image for the api, worker, beat and migrate services; the command differs per service.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config config
COPY schemas schemas
COPY store store
COPY taskqueue taskqueue
COPY service service
COPY workers workers
COPY reactions_cli reactions_cli
RUN pip install --no-cache-dir . && useradd --create-home reactions
USER reactions
EXPOSE 8000
CMD ["reactions", "api"]
