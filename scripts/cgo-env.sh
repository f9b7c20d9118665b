# Sourced by the scripts that build Switchboard (and read by the Makefile): the C compiler's
# flags for every cgo package, cgo's own default (-O2 -g, kept: SQLite's speed depends on it)
# plus defines that leave out C code the app never calls. Go's build cache keys each cgo
# package by these flags, so every build that uses them shares one compiled SQLite.
#
# miniaudio (github.com/gen2brain/malgo compiles all of it): the app uses only its devices
# (voice notes are recorded through PulseAudio/ALSA, tests through the null backend) — not its
# decoders, encoders, generators, resource manager, node graph or engine, nor the JACK backend.
# 354 KB less in the desktop binary (README, "Memory, fifth round").
SWITCHBOARD_CGO_DEFINES="-DMA_NO_DECODING -DMA_NO_ENCODING -DMA_NO_GENERATION -DMA_NO_RESOURCE_MANAGER -DMA_NO_NODE_GRAPH -DMA_NO_ENGINE -DMA_NO_JACK"
case " ${CGO_CFLAGS:-} " in
*" -DMA_NO_ENGINE "*) ;; # already set (make exports it to the scripts it runs)
*) export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} $SWITCHBOARD_CGO_DEFINES" ;;
esac
