/* ProcessPrng for wine 8 (Debian 12), test harness only, never shipped.
 *
 * Go >= 1.24 programs read randomness through ProcessPrng in bcryptprimitives.dll at start-up
 * (Windows 8 and later have it); wine gained the DLL only in 9.x, so on Debian 12's wine a Go
 * .exe dies with "bcryptprimitives.dll not found" before main. scripts/wine-env.sh builds this
 * with mingw and puts it in the throw-away wine prefix's system32. It forwards to RtlGenRandom
 * (advapi32's SystemFunction036), which wine implements with the host's random source. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        size -= n;
    }
    return TRUE;
}
