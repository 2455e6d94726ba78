// The arena's layout: where each call's tensors go in the shared memory a worker maps, and how
// a tensor is described to the worker ({"off", "shape", "dtype"}).
#pragma once

#include <cstddef>
#include <unordered_set>

#include "referee/base/json.h"
#include "referee/harness/task.h"

namespace referee::harness {

inline constexpr size_t kArenaAlign = 256;
inline size_t AlignUp(size_t n) { return (n + kArenaAlign - 1) / kArenaAlign * kArenaAlign; }

// A tensor at `offset` in the arena, as the worker protocol names it.
Json TensorDescriptor(const ConcreteTensor& t, size_t offset);

// Ring allocator over the arena: offsets grow until the end, then restart at the first
// 256-byte start never used before, so a buffer address does not come back (until all
// size/256 starts are used) and the previous two calls' buffers stay intact (the arena holds
// eight call-sets).
class SlotAllocator final {
 public:
  SlotAllocator(size_t arena_bytes, size_t callset_bytes)
      : size_(arena_bytes), callset_(callset_bytes) {}
  size_t Allocate(size_t bytes);

 private:
  size_t size_, callset_;
  size_t cursor_ = 0;
  std::unordered_set<size_t> used_;
};

// Bytes of one call's inputs and outputs in the arena (256-byte aligned).
size_t CallsetBytes(const ConcreteWorkload& w);
// Arena for calls of up to `repeat` invocations each: at least eight call-sets, and room for
// the current batch and the previous two intact.
size_t ArenaBytesFor(const ConcreteWorkload& w, int repeat = 1);

}  // namespace referee::harness
