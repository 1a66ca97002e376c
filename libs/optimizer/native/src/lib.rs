use clarabel::algebra::CscMatrix as CCsc;
use clarabel::solver::*;
use std::slice;

unsafe fn csc_clarabel(m: usize, n: usize, colptr: *const i32, rowval: *const i32, nzval: *const f64) -> CCsc<f64> {
    let cp: Vec<usize> = slice::from_raw_parts(colptr, n + 1).iter().map(|&v| v as usize).collect();
    let nnz = cp[n];
    let rv: Vec<usize> = slice::from_raw_parts(rowval, nnz).iter().map(|&v| v as usize).collect();
    let nz: Vec<f64> = slice::from_raw_parts(nzval, nnz).to_vec();
    CCsc::new(m, n, cp, rv, nz)
}

#[no_mangle]
pub unsafe extern "C" fn af_clarabel_solve(
    n: i32, m: i32,
    p_colptr: *const i32, p_rowval: *const i32, p_nzval: *const f64,
    q: *const f64,
    a_colptr: *const i32, a_rowval: *const i32, a_nzval: *const f64,
    b: *const f64,
    n_zero: i32, n_nonneg: i32,
    tol_feas: f64, tol_gap_abs: f64, tol_gap_rel: f64, max_iter: i32,
    x: *mut f64, z: *mut f64, s: *mut f64, info: *mut f64,
) -> i32 {
    let (n, m) = (n as usize, m as usize);
    let p = csc_clarabel(n, n, p_colptr, p_rowval, p_nzval);
    let a = csc_clarabel(m, n, a_colptr, a_rowval, a_nzval);
    let qv = slice::from_raw_parts(q, n);
    let bv = slice::from_raw_parts(b, m);
    let mut cones = Vec::new();
    if n_zero > 0 { cones.push(ZeroConeT(n_zero as usize)); }
    if n_nonneg > 0 { cones.push(NonnegativeConeT(n_nonneg as usize)); }
    let settings = DefaultSettingsBuilder::default()
        .verbose(std::env::var_os("ALPHAFEED_QP_VERBOSE").is_some())
        .tol_gap_abs(tol_gap_abs).tol_gap_rel(tol_gap_rel).tol_feas(tol_feas)
        .max_iter(max_iter as u32)
        .build().unwrap();
    let mut solver = match DefaultSolver::new(&p, qv, &a, bv, &cones, settings) { Ok(s) => s, Err(_) => return -1 };
    solver.solve();
    let sol = &solver.solution;
    slice::from_raw_parts_mut(x, n).copy_from_slice(&sol.x);
    slice::from_raw_parts_mut(z, m).copy_from_slice(&sol.z);
    slice::from_raw_parts_mut(s, m).copy_from_slice(&sol.s);
    let inf = slice::from_raw_parts_mut(info, 8);
    inf[0] = sol.iterations as f64;
    inf[1] = sol.obj_val;
    inf[2] = sol.obj_val_dual;
    inf[3] = sol.r_prim;
    inf[4] = sol.r_dual;
    inf[5] = sol.solve_time;
    match sol.status {
        SolverStatus::Solved => 1, SolverStatus::PrimalInfeasible => 2, SolverStatus::DualInfeasible => 3,
        SolverStatus::AlmostSolved => 4, SolverStatus::AlmostPrimalInfeasible => 5, SolverStatus::AlmostDualInfeasible => 6,
        SolverStatus::MaxIterations => 7, SolverStatus::MaxTime => 8, SolverStatus::NumericalError => 9,
        SolverStatus::InsufficientProgress => 10, _ => 0,
    }
}

#[cfg(feature = "osqp")]
#[no_mangle]
pub unsafe extern "C" fn af_osqp_solve(
    n: i32, m: i32,
    p_colptr: *const i32, p_rowval: *const i32, p_nzval: *const f64,
    q: *const f64,
    a_colptr: *const i32, a_rowval: *const i32, a_nzval: *const f64,
    l: *const f64, u: *const f64,
    eps: f64, max_iter: i32, polish: i32,
    x: *mut f64, y: *mut f64, info: *mut f64,
) -> i32 {
    let (n, m) = (n as usize, m as usize);
    let pcp: Vec<usize> = slice::from_raw_parts(p_colptr, n + 1).iter().map(|&v| v as usize).collect();
    let prv: Vec<usize> = slice::from_raw_parts(p_rowval, pcp[n]).iter().map(|&v| v as usize).collect();
    let pnz = slice::from_raw_parts(p_nzval, pcp[n]);
    let acp: Vec<usize> = slice::from_raw_parts(a_colptr, n + 1).iter().map(|&v| v as usize).collect();
    let arv: Vec<usize> = slice::from_raw_parts(a_rowval, acp[n]).iter().map(|&v| v as usize).collect();
    let anz = slice::from_raw_parts(a_nzval, acp[n]);
    let p = osqp::CscMatrix { nrows: n, ncols: n, indptr: pcp.into(), indices: prv.into(), data: pnz.into() };
    let a = osqp::CscMatrix { nrows: m, ncols: n, indptr: acp.into(), indices: arv.into(), data: anz.into() };
    let settings = osqp::Settings::default().verbose(false).eps_abs(eps).eps_rel(eps)
        .max_iter(max_iter as u32).polish(polish != 0).polish_refine_iter(10);
    let mut prob = match osqp::Problem::new(p, slice::from_raw_parts(q, n), a, slice::from_raw_parts(l, m), slice::from_raw_parts(u, m), &settings) { Ok(p) => p, Err(_) => return -1 };
    let st = prob.solve();
    let inf = slice::from_raw_parts_mut(info, 8);
    inf[0] = st.iter() as f64;
    inf[5] = st.run_time().as_secs_f64();
    let code = match st { osqp::Status::Solved(_) => 1, osqp::Status::SolvedInaccurate(_) => 4, osqp::Status::MaxIterationsReached(_) => 7,
        osqp::Status::PrimalInfeasible(_) | osqp::Status::PrimalInfeasibleInaccurate(_) => 2, _ => 0 };
    let solref = match &st { osqp::Status::Solved(s) | osqp::Status::SolvedInaccurate(s) | osqp::Status::MaxIterationsReached(s) => Some(s.clone()), _ => None };
    if let Some(s) = solref {
        slice::from_raw_parts_mut(x, n).copy_from_slice(s.x());
        slice::from_raw_parts_mut(y, m).copy_from_slice(s.y());
        inf[1] = s.obj_val();
        inf[2] = match s.polish_status() { osqp::PolishStatus::Successful => 1.0, osqp::PolishStatus::Unsuccessful => -1.0, _ => 0.0 };
    }
    code
}
