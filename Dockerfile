# syntax=docker/dockerfile:1
#
# One image recipe for every service: docker build --build-arg MODULE=message-service .
# (docker compose passes MODULE for each service of docker-compose.yml).
#
# 1. build:   the Maven Wrapper builds MODULE and the reactor modules it needs (-am), no tests.
#             -Dmdep.skip=true skips infra/stack's dependency-plugin goals (it is pulled in
#             through infra/test-support): the Keycloak distribution it unpacks and the launcher
#             classpath file serve ./chat only, not an image.
# 2. extract: Spring Boot's tools jar mode splits the jar into its layers with the launcher
#             (dependencies change least, the application most), so a code change rebuilds and
#             ships only the last layer.
# 3. runtime: the JRE, the layers, a non-root user, JVM flags sized from the container's limit.

FROM eclipse-temurin:25-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    test -n "${MODULE}" || { echo "build with --build-arg MODULE=<service module>" >&2; exit 1; }; \
    ./mvnw -B -q -pl "${MODULE}" -am package -DskipTests -Dmdep.skip=true \
    && cp "${MODULE}/target/${MODULE}.jar" /app.jar

FROM eclipse-temurin:25-jdk AS extract
WORKDIR /extract
COPY --from=build /app.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination layers

FROM eclipse-temurin:25-jre
ARG MODULE
LABEL org.opencontainers.image.title="chat ${MODULE}" \
      org.opencontainers.image.source="docker-compose.yml and Dockerfile of the chat repository"
RUN groupadd --system --gid 10001 chat \
    && useradd --system --uid 10001 --gid chat --home-dir /app --no-create-home --shell /usr/sbin/nologin chat
WORKDIR /app
COPY --from=extract /extract/layers/dependencies/ ./
COPY --from=extract /extract/layers/spring-boot-loader/ ./
COPY --from=extract /extract/layers/snapshot-dependencies/ ./
COPY --from=extract /extract/layers/application/ ./
USER 10001:10001
# The heap follows the container's memory limit (75 %, the rest for metaspace, threads, direct
# buffers); an OutOfMemoryError ends the process so that the restart policy replaces it instead
# of leaving a half-working JVM. More flags: JAVA_TOOL_OPTIONS. Spring properties: environment
# variables or arguments after the image name.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "org.springframework.boot.loader.launch.JarLauncher"]
