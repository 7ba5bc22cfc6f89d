# The app on its own: `docker build -t playground . && docker run -p 8501:8501 -v playground-data:/app/var playground`
# (its SQLite file in a named volume, so the work outlives the container). For a class, run several behind a proxy on
# PostgreSQL: deploy/compose.yaml.
# Not tested here (the development machine has no Docker); the commands are docs/deployment.md's.
# The Python the app is tested on: a pinned tag, not whatever 3.11 is on the day of the build.
FROM python:3.11.7-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home learner && mkdir -p var && chown learner var
USER learner
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501", \
     "--server.headless", "true", "--browser.gatherUsageStats", "false"]
