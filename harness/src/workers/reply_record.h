// One record from a worker channel, as the trusted parent reads it (issue 20). Candidate code
// runs inside the Python worker and can send any bytes, so the record must parse as a JSON
// object with an integer `seq` (the request's) and a boolean `ok`; everything downstream reads
// fields with JsonBool/JsonNumber/JsonString (base/json.h), which never throw.
#pragma once

#include <cstdint>
#include <string_view>

#include "referee/base/json.h"

namespace referee::harness {

// The record's JSON, or a one-line reason (kDataLoss) to fail the worker with ("protocol").
Expected<Json> ParseReplyRecord(std::string_view bytes, int64_t expected_seq);

}  // namespace referee::harness
