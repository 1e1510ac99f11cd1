# The mock in an empty image: the static linux binary of make dist, nothing else.
#   make dist PLATFORMS=linux/amd64 && docker build -t gameball-mock .
#   docker run --rm -p 127.0.0.1:8741:8741 gameball-mock
# TARGETARCH (amd64, arm64) is set by BuildKit, docker build's default builder.
FROM scratch
ARG TARGETARCH
COPY dist/gameball-mock_linux_${TARGETARCH} /gameball-mock
# Not root: scratch has no /etc/passwd, so a number (the conventional "nobody").
USER 65534:65534
EXPOSE 8741
ENTRYPOINT ["/gameball-mock"]
# 0.0.0.0 so the published port reaches it; the mock warns that its control API
# is then open: publish to 127.0.0.1 as above, or set GAMEBALL_MOCK_ADMIN_KEY.
CMD ["-addr", "0.0.0.0:8741"]
