/* zprop: umbrella header. SPDX-License-Identifier: MIT */
#ifndef ZPROP_ZPROP_H
#define ZPROP_ZPROP_H
#include "zprop/batch.h"
#include "zprop/config.h"
#include "zprop/data.h"
#include "zprop/errors.h"
#include "zprop/fit.h"
#include "zprop/gm2.h"
#include "zprop/mixing.h"
#include "zprop/scan.h"
#include "zprop/source.h"
#include "zprop/spectrum.h"
#endif
