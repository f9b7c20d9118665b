# Sourced by release.sh and windows-test.sh: the cgo environment for Windows amd64 builds with the
# mingw-w64 cross-compiler, libopus included (built once by build-opus-mingw.sh).
pc=$(bash scripts/build-opus-mingw.sh)
export CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ PKG_CONFIG_LIBDIR=$pc
# Go's build cache keys a cgo package by its CGO_* flags but not by what pkg-config printed, so a
# package compiled earlier in another checkout keeps that checkout's "-L…/build/mingw/…" and the
# link fails with "cannot find -lopus" (a CI run did). Naming this checkout's libopus directory in
# CGO_LDFLAGS puts it into the key.
export CGO_LDFLAGS="-O2 -g -L${pc%/pkgconfig}"
unset pc
