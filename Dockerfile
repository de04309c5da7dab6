# PerfHub under gunicorn, for docker-compose.yml. Assets are built here, never fetched at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install . \
    && bin/build-assets "$(command -v python)" \
    && rm -rf node_modules \
    && useradd --system --home /app perfhub \
    && chown -R perfhub /app
USER perfhub

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput && exec gunicorn perfhub.wsgi --bind 0.0.0.0:8000 --workers 3 --timeout 120 --access-logfile -"]
