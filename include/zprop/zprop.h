/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Umbrella header: the whole public API of libzprop.
 *
 *  @mainpage libzprop
 *
 *  Propagation of high-energy astrophysical neutrinos through the relic
 *  neutrino background with a light U(1)_{Lmu-Ltau} Z' (zprop/spectrum.h,
 *  zprop/batch.h, on a reusable zprop/context.h), its parameters by name
 *  (zprop/params.h), fits to IceCube data (zprop/data.h, zprop/fit.h), scans of
 *  the (mzp, gzp) plane (zprop/scan.h) and the muon g-2 constraint
 *  (zprop/gm2.h).  Include zprop/zprop.h, link with `pkg-config --libs zprop`
 *  or CMake's `zprop::zprop`.
 *
 *  Conventions that hold for every function:
 *  - Errors: a fallible function returns a zp_status and, when given a
 *    zp_error (which may be NULL), fills it with a one-line message
 *    (zprop/errors.h).  The library never prints, exits, or changes
 *    process-wide state.
 *  - Ownership: an object a function returns through a `**out` belongs to the
 *    caller and is released with the matching `_free` function, which accepts
 *    NULL; pointers inside a caller's struct are borrowed, never freed.
 *  - Thread safety: what the library shares between calls (tables built once,
 *    the backend notices kept for the process) is guarded by pthread_once or
 *    a mutex, so different objects may be used from different threads at
 *    once; one object must not be changed by one thread while another uses it.
 *  - Units: energies and masses in GeV unless a name says otherwise
 *    (`_mev`, `_ev`); fluxes in GeV^-1 cm^-2 s^-1 sr^-1, nu + nubar. */
#ifndef ZPROP_ZPROP_H
#define ZPROP_ZPROP_H
#include "zprop/batch.h"
#include "zprop/config.h"
#include "zprop/context.h"
#include "zprop/data.h"
#include "zprop/errors.h"
#include "zprop/fit.h"
#include "zprop/gm2.h"
#include "zprop/limits.h"
#include "zprop/mixing.h"
#include "zprop/params.h"
#include "zprop/profile.h"
#include "zprop/run.h"
#include "zprop/scan.h"
#include "zprop/scan_job.h"
#include "zprop/source.h"
#include "zprop/spectrum.h"
#endif
