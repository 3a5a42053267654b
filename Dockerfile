# syntax=docker/dockerfile:1
# The image of every service, built from the sources with nothing on the host but Docker:
#   docker compose up --build      (docker-compose.yml passes each service's build arguments)
#   docker build --build-arg SERVICE=strategy-abc --build-arg PORT=8081 -t trading/strategy-abc .
#
# strategy-qrs: a strategy outside the JVM (strategies/qrs.properties: strategy.runtime=external),
# Python on Debian's packages (python3-confluent-kafka on librdkafka, python3-avro). Compose builds
# it with target: strategy-qrs; it needs no Maven stage. The contracts it checks against the
# registry are the repository's .avsc files. Built only when asked for: the default target, the
# last stage below, is the Java services' image.
# Debian 12's librdkafka (2.0.2) cannot log in to Kafka 4 with SCRAM: the first stage builds 2.15.1
# with the script ./pipeline uses (strategy-qrs/native/build-librdkafka.sh).
FROM debian:bookworm-slim AS strategy-qrs-librdkafka
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates npm gcc libc6-dev make \
    libssl-dev zlib1g-dev python3 && rm -rf /var/lib/apt/lists/*
COPY strategy-qrs/native/build-librdkafka.sh /build-librdkafka.sh
RUN /build-librdkafka.sh /opt/librdkafka

FROM debian:bookworm-slim AS strategy-qrs
ARG PORT=8087
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-confluent-kafka python3-avro curl \
    && rm -rf /var/lib/apt/lists/* && useradd --uid 185 --no-create-home --shell /usr/sbin/nologin strategy
COPY --from=strategy-qrs-librdkafka /opt/librdkafka /opt/librdkafka
ENV LIBRDKAFKA_HOME=/opt/librdkafka
WORKDIR /app
COPY strategy-qrs/run strategy-qrs/environment.properties /app/
COPY strategy-qrs/qrs/ /app/qrs/
COPY common-schema/src/main/avro/ /app/contracts/
ENV PIPELINE_SCHEMA_DIR=/app/contracts PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
USER 185
EXPOSE ${PORT}
ENTRYPOINT ["/app/run", "run"]

# Stage 1 builds the service's module and the modules it needs with Maven. The local repository
# is a cache mount: a rebuild downloads nothing it already has, and it stays out of the image.
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    if [ -z "$SERVICE" ] || [ ! -f "$SERVICE/pom.xml" ]; then \
      echo "build with --build-arg SERVICE=<a service module, e.g. strategy-abc>" >&2; exit 1; \
    fi && \
    mvn -B -q -ntp -pl "$SERVICE" -am package -DskipTests

# Stage 2: the Quarkus app (target/quarkus-app) on a Java 17 runtime.
FROM eclipse-temurin:17-jre
ARG SERVICE
ARG PORT=8080
# heap as a share of the container's memory limit; metaspace, code cache and direct buffers
# capped: sized with the limits of docker-compose.yml and deploy/k8s (docs/kubernetes.md: Sizing)
ARG HEAP_PERCENT=50
# where the service keeps what must outlive the container (Kafka Streams state, the exchange's
# journal and FIX store), handed to the image's user so a volume mounted there is writable
ARG DATA_DIR=/var/lib/kafka-streams
WORKDIR /deployments
COPY --from=build /src/${SERVICE}/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /src/${SERVICE}/target/quarkus-app/*.jar /deployments/
COPY --from=build /src/${SERVICE}/target/quarkus-app/app/ /deployments/app/
COPY --from=build /src/${SERVICE}/target/quarkus-app/quarkus/ /deployments/quarkus/
ENV JAVA_OPTS="-XX:MaxRAMPercentage=${HEAP_PERCENT} -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" \
    PIPELINE_STATE_DIR=/var/lib/kafka-streams \
    EXCHANGE_DATA_DIR=/var/lib/exchange
RUN mkdir -p ${DATA_DIR} && chown 185 ${DATA_DIR}
USER 185
EXPOSE ${PORT}
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]
