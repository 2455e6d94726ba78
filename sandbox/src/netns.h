// Network namespace: empty except loopback, which is brought up so that programs binding
// 127.0.0.1 inside still work (seccomp then refuses AF_INET sockets anyway; loopback-only is
// the documented net policy, and AF_UNIX abstract names are private to this namespace).
#pragma once

#include "child_plan.h"

namespace referee::sandbox::internal::netns {

ChildError Apply();

}  // namespace referee::sandbox::internal::netns
