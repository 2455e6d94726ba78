#include "slot_allocator.h"

#include <algorithm>

#include "referee/harness/dtype.h"

namespace referee::harness {

Json TensorDescriptor(const ConcreteTensor& t, size_t offset) {
  return Json{{"off", offset}, {"shape", t.shape}, {"dtype", DTypeName(t.spec.dtype)}};
}

size_t SlotAllocator::Allocate(size_t bytes) {
  bytes = AlignUp(std::max<size_t>(bytes, 1));
  size_t scanned = 0;
  for (;;) {
    if (cursor_ + bytes > size_) cursor_ = 0;  // the previous two calls lie behind the cursor
    if (used_.insert(cursor_).second) break;
    cursor_ += kArenaAlign;
    if (++scanned > size_ / kArenaAlign) {
      used_.clear();  // every 256-byte start was used once: addresses may now repeat
      scanned = 0;
    }
  }
  size_t at = cursor_;
  cursor_ += bytes;
  return at;
}

size_t CallsetBytes(const ConcreteWorkload& w) {
  size_t callset = 0;
  for (const auto& t : w.inputs) callset += AlignUp(t.nbytes() + 1);
  for (const auto& t : w.outputs) callset += AlignUp(t.nbytes() + 1);
  return callset;
}

size_t ArenaBytesFor(const ConcreteWorkload& w, int repeat) {
  size_t callset = CallsetBytes(w);
  size_t sets = std::max<size_t>(8, 3 * static_cast<size_t>(std::max(1, repeat)) + 5);
  return std::max<size_t>(sets * callset + (1 << 20), 4 << 20);
}

}  // namespace referee::harness
