#include "symbolize/dwarf_function_name.h"

#include "symbolize/function_names.h"

#include <dwarf.h>

#include <cstdlib>
#include <cstring>
#include <functional>

namespace contend::analyze {

namespace {

// Follows DW_AT_abstract_origin and DW_AT_specification to the DIE that
// declares a function, where its enclosing namespaces and classes are.
Dwarf_Die declaration_of(Dwarf_Die die) {
  for (int hops = 0; hops < 8; ++hops) {
    Dwarf_Attribute attr;
    Dwarf_Die next;
    if (dwarf_attr(&die, DW_AT_abstract_origin, &attr) == nullptr &&
        dwarf_attr(&die, DW_AT_specification, &attr) == nullptr)
      break;
    if (dwarf_formref_die(&attr, &next) == nullptr) break;
    die = next;
  }
  return die;
}

bool is_type_scope(int tag) {
  return tag == DW_TAG_class_type || tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
}

// The parameters of a closure type's operator() (its `this` aside), or -1
// when the type is not a closure (GCC names neither the type nor, for a
// lambda, its call operator's linkage).
int closure_arity(Dwarf_Die* type) {
  if (!is_type_scope(dwarf_tag(type)) || dwarf_diename(type) != nullptr) return -1;
  Dwarf_Die member;
  if (dwarf_child(type, &member) != 0) return -1;
  do {
    const char* name = dwarf_diename(&member);
    if (dwarf_tag(&member) != DW_TAG_subprogram || name == nullptr || std::strcmp(name, "operator()") != 0)
      continue;
    int arity = 0;
    Dwarf_Die param;
    if (dwarf_child(&member, &param) == 0) {
      do {
        if (dwarf_tag(&param) == DW_TAG_formal_parameter && !dwarf_hasattr(&param, DW_AT_artificial)) ++arity;
      } while (dwarf_siblingof(&param, &param) == 0);
    }
    return arity;
  } while (dwarf_siblingof(&member, &member) == 0);
  return -1;
}

// The demangler's number for a closure: closures of the same arity in the
// function, in the order they are declared ("{lambda()#1}" is the first).
int closure_number(Dwarf_Die* function, Dwarf_Die* closure, int arity) {
  int seen = 0;
  Dwarf_Off target = dwarf_dieoffset(closure);
  std::function<bool(Dwarf_Die*)> walk = [&](Dwarf_Die* scope) {
    Dwarf_Die child;
    if (dwarf_child(scope, &child) != 0) return false;
    do {
      int tag = dwarf_tag(&child);
      if (tag == DW_TAG_lexical_block && walk(&child)) return true;
      if (closure_arity(&child) == arity) {
        ++seen;
        if (dwarf_dieoffset(&child) == target) return true;
      }
    } while (dwarf_siblingof(&child, &child) == 0);
    return false;
  };
  return walk(function) ? seen : 0;
}

// "ns::Class::function" from the declaration's enclosing scopes, for
// functions whose DIEs carry no linkage name (often the inlined ones).
std::string qualified_name(Dwarf_Die* die, const char* name) {
  Dwarf_Die decl = declaration_of(*die);
  Dwarf_Die* scopes = nullptr;
  int n = dwarf_getscopes_die(&decl, &scopes);
  std::string out = name;
  for (int i = 1; i < n; ++i) {  // scopes[0] is the declaration itself
    int tag = dwarf_tag(&scopes[i]);
    if (tag == DW_TAG_subprogram) {
      // A local class or lambda: named inside its function, which names
      // its own scopes.
      out = die_function_name(&scopes[i]) + "::" + out;
      break;
    }
    if (tag != DW_TAG_namespace && !is_type_scope(tag)) continue;
    const char* part = dwarf_diename(&scopes[i]);
    std::string scope;
    if (part != nullptr) {
      scope = part;
    } else if (tag == DW_TAG_namespace) {
      scope = "(anonymous namespace)";
    } else if (int arity = closure_arity(&scopes[i]); arity >= 0) {
      int number = 0;
      for (int j = i + 1; j < n && number == 0; ++j)
        if (dwarf_tag(&scopes[j]) == DW_TAG_subprogram)
          number = closure_number(&scopes[j], &scopes[i], arity);
      scope = arity == 0 ? "{lambda()" : "{lambda(…)";
      scope += number > 0 ? "#" + std::to_string(number) + "}" : "}";
    } else {
      scope = "{unnamed type}";
    }
    out = scope + "::" + out;
  }
  std::free(scopes);
  return clean_function_name(out);
}

}  // namespace

std::string die_function_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  for (int at : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
    if (dwarf_attr_integrate(die, at, &attr) != nullptr) {
      if (const char* s = dwarf_formstring(&attr)) return readable_function_name(s);
    }
  }
  const char* name = dwarf_diename(die);
  return name != nullptr ? qualified_name(die, name) : "";
}

}  // namespace contend::analyze
