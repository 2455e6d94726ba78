import prepare
import prepare as P
from prepare import evaluate_bpb, MAX_SEQ_LEN

# ruleid: evaluation-tampering-fixed-module-patch
prepare.EVAL_TOKENS = 1024
# ruleid: evaluation-tampering-fixed-module-patch
P.get_token_bytes = lambda device: None
# ruleid: evaluation-tampering-fixed-module-patch
setattr(prepare, "MAX_SEQ_LEN", 64)
# ruleid: evaluation-tampering-fixed-module-patch
evaluate_bpb.__defaults__ = (1,)

# ok: evaluation-tampering-fixed-module-patch
seq_len = MAX_SEQ_LEN
# ok: evaluation-tampering-fixed-module-patch
tokens = prepare.EVAL_TOKENS // 2
