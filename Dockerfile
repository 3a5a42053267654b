# syntax=docker/dockerfile:1
# The image of every service, built from the sources with nothing on the host but Docker:
#   docker compose up --build      (docker-compose.yml passes each service's build arguments)
#   docker build --build-arg SERVICE=strategy-abc --build-arg PORT=8081 -t trading/strategy-abc .
#
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
# capped: sized with the limits of docker-compose.yml and deploy/k8s (README: Sizing)
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
