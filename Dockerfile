# Multi-stage build of the Orderly operator image.
# The runtime base is glibc-based (Ubuntu): helm-java ships Helm as a glibc shared library.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY crds crds
RUN mvn -B -q package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:17-jre-jammy
RUN groupadd --gid 10001 orderly \
 && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin orderly
COPY --from=build /src/target/orderly.jar /opt/orderly/orderly.jar
COPY charts/examples /opt/orderly/charts/examples
# helm-java unpacks its ~98 MB native library into java.io.tmpdir at start; with a read-only root
# filesystem, mount a writable emptyDir at /tmp (the chart does).
# Helm and client-go write caches under $HOME; the image user has none and the root is read-only.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp" HOME=/tmp
USER 10001:10001
WORKDIR /opt/orderly
ENTRYPOINT ["java", "-jar", "/opt/orderly/orderly.jar"]
CMD ["run"]
