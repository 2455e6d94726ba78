import torch
from prepare import MAX_SEQ_LEN, Tokenizer, make_dataloader, evaluate_bpb

tokenizer = Tokenizer.from_directory()
# ok: data-leakage-validation-read
train_loader = make_dataloader(tokenizer, 32, MAX_SEQ_LEN, "train")
# ruleid: data-leakage-validation-read
val_loader = make_dataloader(tokenizer, 32, MAX_SEQ_LEN, "val")
model = torch.nn.Linear(4, 4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y, epoch in train_loader:
    model(x).sum().backward()
    opt.step()
    break
# ruleid: data-leakage-validation-read
for x, y, epoch in val_loader:
    model(x).sum().backward()
    break
# ok: data-leakage-validation-read
val_bpb = evaluate_bpb(model, tokenizer, 32)
print(f"val_bpb: {val_bpb:.6f}")
