// Small AST helpers shared by the built-in checks.
#pragma once

#include <functional>
#include <string>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"

namespace referee::analyzers::clang_internal {

// The unqualified name of a call's direct callee (method or function), or "".
std::string CalleeName(const clang::CallExpr* call);
// The qualified name of a call's direct callee ("at::empty", "cudaMalloc"), or "".
std::string CalleeQualifiedName(const clang::CallExpr* call);

// The variable an expression names, looking through parens, casts, `&`, `*`, member accesses
// and array subscripts (`state.count`, `table[i]`, `&ptr`), or null.
const clang::VarDecl* ReferencedVar(const clang::Expr* expr);

// Mutable storage that outlives a call: globals, namespace and class statics, static locals and
// __device__ variables that are neither const nor constexpr nor synchronisation primitives
// (__constant__ and __shared__ variables excluded).
bool IsMutableGlobal(const clang::VarDecl* var);

bool IsTensorType(clang::QualType type);  // at::Tensor / at::TensorBase (refs stripped)
bool IsStreamType(clang::QualType type);  // cudaStream_t / CUstream / c10::cuda::CUDAStream
// A pointer to data: not a function pointer and not an opaque handle (pointee incomplete).
bool IsDataPointerType(clang::QualType type);

// Calls `visit` on every statement below `root` (pre-order, `root` included).
void ForEachStmt(const clang::Stmt* root, const std::function<void(const clang::Stmt*)>& visit);
// True if some statement below `root` satisfies `pred`.
bool AnyStmt(const clang::Stmt* root, const std::function<bool(const clang::Stmt*)>& pred);

// The first parent of `node` (the AST is a tree in the main file; templates may give several).
const clang::Stmt* ParentStmt(const clang::Stmt* node, clang::ASTContext& ctx);
// Climbs from `expr` through parens, implicit casts, temporaries and copies to the expression
// whose parent gives it meaning; returns that parent (or null) and sets `*child`.
const clang::Stmt* UseSite(const clang::Expr* expr, clang::ASTContext& ctx,
                           const clang::Expr** child);

// True if `stmt` launches GPU work: a `<<<...>>>` launch or a launch API call.
bool IsLaunch(const clang::Stmt* stmt);

}  // namespace referee::analyzers::clang_internal
