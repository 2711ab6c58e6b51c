#include "emu.h"
/* cuDNN emulation: see a later commit. */
